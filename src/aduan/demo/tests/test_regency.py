"""The demo regency (issue 18): the seed office unchanged, a central intake and three offices,
each with its own configuration, logins and numbering; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import Membership, Role, User
from aduan.complaints.access import complaints_visible_to
from aduan.complaints.models import CaseEvent, Complaint
from aduan.demo.regency import regency_data
from aduan.demo.users import DEMO_PASSWORD
from aduan.offices.models import Channel, Office, ServiceType, Unit
from aduan.offices.selectors import office_default
from aduan.portal.models import FaqEntry

pytestmark = pytest.mark.django_db

SEED = "dpmptsp-bengkalis"
REGENCY = {"lapor-bupati-bengkalis": "", "disdukcapil-bengkalis": "disdukcapil",
           "pupr-bengkalis": "pupr", "dlh-bengkalis": "dlh"}


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Office, Unit, Channel, ServiceType, FaqEntry, User, TOTPDevice,
                          Membership, Complaint, CaseEvent)}


def test_regency_offices_with_their_own_configuration_and_idempotent():
    first_output = _load()
    before = _counts()
    second_output = _load()
    assert _counts() == before
    offices = {o.code: o for o in Office.objects.all()}
    assert set(offices) == {SEED, *REGENCY}
    assert [o.code for o in Office.objects.filter(is_central_intake=True)] == [
        "lapor-bupati-bengkalis"]
    for code, authority in REGENCY.items():
        office = offices[code]
        assert office.authority == authority
        assert office.units.filter(is_complaint_team=True).count() == 1
        assert office.channels.exists() and office.service_types.exists()
        assert FaqEntry.objects.filter(office=office).exists()
        assert office.users.filter(groups__name=Role.OFFICER).exists()
        assert office.users.filter(groups__name=Role.HEAD).exists()
        # Every service type's unit is the office's own.
        assert not office.service_types.exclude(default_unit__office=office).exists()
    patterns = {o.register_number_pattern for o in offices.values()}
    assert len(patterns) == len(offices)
    # Every login and its TOTP key is printed, each time (make run shows them).
    for user in User.objects.all():
        device = TOTPDevice.objects.get(user=user, name="Demo")
        assert user.username in second_output
        assert device.key  # the printed base32 key is derived from it
    assert first_output.count("kunci TOTP") == User.objects.count()
    assert "0 pengaduan baru" in second_output and "Pengaduan dimuat: 0 baru" in second_output


def test_each_office_numbers_its_own_cases_from_one():
    _load()
    for code in REGENCY:
        cases = Complaint.objects.filter(office__code=code)
        expected = len(next(e for e in regency_data()["offices"]
                            if e["office"]["code"] == code)["cases"])
        assert cases.count() == expected
        for year in set(cases.values_list("register_year", flat=True)):
            seqs = sorted(cases.filter(register_year=year)
                          .values_list("register_sequence", flat=True))
            assert seqs == list(range(1, len(seqs) + 1))
    capil = Complaint.objects.filter(office__code="disdukcapil-bengkalis")
    assert all("/DUKCAPIL/" in n for n in capil.values_list("register_number", flat=True))
    dispositioned = capil.get(status="dispositioned")
    assert dispositioned.unit.office.code == "disdukcapil-bengkalis"
    # The seed office keeps exactly its 32 seed cases.
    assert Complaint.objects.filter(office__code=SEED).count() == 32


def test_logins_see_only_their_office_and_oversight_sees_no_case():
    _load()
    assert User.objects.get(username="petugas").office.code == SEED
    for username, code in (("capil_petugas", "disdukcapil-bengkalis"),
                           ("pupr_kadis", "pupr-bengkalis"),
                           ("lapor_petugas", "lapor-bupati-bengkalis")):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        visible = complaints_visible_to(user)
        assert visible.exists()
        assert set(visible.values_list("office__code", flat=True)) == {code}
    # One person holds roles in two offices (accounts.Membership): home at the central intake,
    # officer at DLH too.
    two_offices = User.objects.get(username="lapor_petugas")
    assert two_offices.office.code == "lapor-bupati-bengkalis"
    membership = Membership.objects.get(user=two_offices)
    assert (membership.office.code, membership.roles) == ("dlh-bengkalis", ["officer"])
    inspektorat = User.objects.get(username="inspektorat")
    assert inspektorat.has_role(Role.OVERSIGHT)
    assert not complaints_visible_to(inspektorat).exists()


def test_single_office_loads_the_seed_office_alone():
    output = _load("--single-office")
    assert list(Office.objects.values_list("code", flat=True)) == [SEED]
    assert office_default().code == SEED
    assert "capil_petugas" not in output


def test_demo_totp_knows_the_regency_logins_and_nobody_else():
    _load()
    out = io.StringIO()
    call_command("demo_totp", "dlh_petugas", stdout=out)
    assert out.getvalue().strip().isdigit()
    with pytest.raises(CommandError):
        call_command("demo_totp", "stranger")
