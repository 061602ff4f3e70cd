"""Role and unit scoping, and identity masking (SPEC §1, §6)."""

import pytest

from aduan.accounts.models import Role
from aduan.complaints import services
from aduan.complaints.access import access_complaint, complaints_visible_to
from aduan.complaints.models import IdentityAccess
from aduan.complaints.selectors import (
    complaint_get_by_tracking_code,
    complaint_public_timeline,
    reporter_for_staff,
    reporter_masked,
)
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def disposed(office, officer, lead):
    complaint = register_complaint(office, reporter=ReporterInput(
        name="Fathul", phone="081371771234", nik="1403021104907328", is_confidential=True))
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    return services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                      unit=office.units.get(code="perizinan-a"))


def test_unit_staff_see_only_their_units_cases(disposed, unit_a_staff, unit_b_staff, office):
    other = register_complaint(office)
    assert list(complaints_visible_to(unit_a_staff)) == [disposed]
    assert access_complaint(unit_a_staff, disposed.pk) == disposed
    with pytest.raises(NotFound):
        access_complaint(unit_a_staff, other.pk)
    assert list(complaints_visible_to(unit_b_staff)) == []
    with pytest.raises(NotFound):
        access_complaint(unit_b_staff, disposed.pk)


@pytest.mark.parametrize("username", ["petugas", "ketua", "kadis", "admin"])
def test_office_wide_roles_see_every_case(username, users, disposed, office):
    other = register_complaint(office)
    assert set(complaints_visible_to(users[username])) == {disposed, other}


def test_user_without_role_or_office_sees_nothing(disposed, make_user, office):
    nobody = make_user("tanpa_peran", Role.UNIT_STAFF)  # unit staff without a unit
    assert list(complaints_visible_to(nobody)) == []
    nobody.groups.clear()


def test_confidential_identity_only_for_the_complaint_team(disposed, officer, lead,
                                                           unit_a_staff, head):
    for user in (officer, lead):
        view = reporter_for_staff(user, disposed)
        assert not view.is_masked and view.name == "Fathul" and view.nik == "1403021104907328"
    for user in (unit_a_staff, head):
        view = reporter_for_staff(user, disposed)
        # "(dirahasiakan)" and nothing derived: no initials, phone digits or e-mail prefix.
        assert view.is_masked and view.name == "(dirahasiakan)"
        assert (view.nik, view.phone, view.email, view.address) == ("", "", "", "")
    # Every unmasked view is logged.
    assert IdentityAccess.objects.filter(reporter=disposed.reporter).count() == 2


def test_nik_is_encrypted_at_rest(disposed):
    disposed.reporter.refresh_from_db()
    assert "1403021104907328" not in disposed.reporter.nik_encrypted
    assert disposed.reporter.nik == "1403021104907328"


def test_public_view_masks_and_hides_internal_events(disposed):
    found = complaint_get_by_tracking_code(disposed.tracking_code)
    assert found == disposed
    masked = reporter_masked(found)  # a confidential reporter: nothing, not even masked
    assert (masked.phone, masked.email, masked.nik) == ("", "", "")
    assert masked.name == "(dirahasiakan)"
    kinds = [e.kind for e in complaint_public_timeline(found)]
    assert "note" not in kinds
    with pytest.raises(NotFound):
        complaint_get_by_tracking_code("tidak-ada")


def test_secret_lapor_case_is_not_public(office):
    secret = register_complaint(office, channel_code="sp4n_lapor", is_secret=True,
                                lapor_tracking_id="LAP-1")
    with pytest.raises(NotFound):
        complaint_get_by_tracking_code(secret.tracking_code)


def test_anonymous_reporter_keeps_no_identity(office, officer):
    complaint = register_complaint(office, reporter=ReporterInput(
        name="Rahasia", nik="1403021104907328", address="Jl. X", phone="081234567890",
        is_anonymous=True))
    reporter = complaint.reporter
    assert (reporter.name, reporter.nik, reporter.address) == ("", "", "")
    assert reporter_for_staff(officer, complaint).is_masked
