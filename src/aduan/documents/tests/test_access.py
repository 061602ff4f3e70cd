"""Who may print what: login, case scoping by unit, masking of protected reporters (SPEC §6)."""

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.models import User
from aduan.accounts.testing import login_verified
from aduan.complaints import services
from aduan.complaints.models import IdentityAccess
from aduan.documents.tests.conftest import at, pdf_lines, pdf_text, value_of

pytestmark = pytest.mark.django_db

CASE_DOCUMENTS = ("complaint-form", "follow-up-form", "satisfaction-statement",
                  "thank-you-letter", "good-name-letter")


def test_unit_b_user_gets_not_found_for_a_unit_a_case(seeded, unit_a_staff, unit_b_staff,
                                                      fetch):
    case = seeded[23]
    assert case.unit.code == "perizinan-a"
    for name in CASE_DOCUMENTS:
        assert fetch(unit_b_staff, name, case).status_code == 404, name
    assert fetch(unit_a_staff, "complaint-form", case).status_code == 200
    assert fetch(unit_a_staff, "follow-up-form", case).status_code == 200
    # And the other way round: a case of unit B is not found for unit A.
    unit_b_case = next(c for c in seeded.values() if c.unit and c.unit.code == "perizinan-b")
    assert fetch(unit_a_staff, "follow-up-form", unit_b_case).status_code == 404
    assert fetch(unit_b_staff, "follow-up-form", unit_b_case).status_code == 200
    assert not IdentityAccess.objects.filter(user=unit_b_staff, complaint=case).exists()


def test_unit_staff_see_no_case_before_disposition(walk_in, unit_a_staff, fetch):
    case = walk_in()
    assert fetch(unit_a_staff, "complaint-form", case).status_code == 404


def test_not_logged_in_is_sent_to_the_login_page(walk_in, fetch):
    case = walk_in()
    login = reverse("accounts:login")
    for name in CASE_DOCUMENTS:
        response = fetch(None, name, case)
        assert response.status_code == 302, name
        assert response["Location"].startswith(login)
    response = fetch(None, "complaint-form-blank")
    assert response.status_code == 302 and response["Location"].startswith(login)


def test_unknown_case_and_user_without_office_get_not_found(office, officer, fetch):
    client = Client()
    login_verified(client, officer)
    for name in CASE_DOCUMENTS:
        assert client.get(reverse(f"documents:{name}", args=[999_999])).status_code == 404
    stranger = User.objects.create_user(username="tamu", password="x-test-pass-123")
    assert fetch(stranger, "complaint-form-blank").status_code == 404


def test_documents_are_read_only(walk_in, officer):
    case = walk_in()
    client = Client()
    login_verified(client, officer)
    url = reverse("documents:complaint-form", args=[case.pk])
    assert client.post(url).status_code == 405


def test_confidential_reporter_is_masked_for_unit_staff_and_head(
        walk_in, officer, lead, unit_a_staff, head, fetch):
    case = walk_in(is_confidential=True)
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=services.Checklist(
        ktp_seen=True, chronology_present=True), at=at(case.received_on, 10))
    services.complaint_dispose(complaint_id=case.pk, actor=lead, unit=unit_a_staff.unit,
                               at=at(case.received_on, 11))
    for user in (unit_a_staff, head):
        for name in ("complaint-form", "follow-up-form"):
            response = fetch(user, name, case)
            assert response.status_code == 200
            text = pdf_text(response.content)
            assert "Siti Aminah" not in text and "SITI AMINAH" not in text
            assert "1403024107900001" not in text
            assert "Jl. Pramuka" not in text
            assert "0812-3456-7890" not in text
            assert "siti@contoh.id" not in text
        lines = pdf_lines(fetch(user, "complaint-form", case).content)
        # "(dirahasiakan)" and nothing derived: no initials, phone digits or e-mail prefix.
        for label in ("Nama", "Nomor KTP", "Alamat lengkap", "Telepon", "E-mail"):
            assert value_of(lines, label) == "(dirahasiakan)", label
    assert not IdentityAccess.objects.filter(complaint=case).exists()
    # The complaint team prints the identity, and each print is logged.
    lines = pdf_lines(fetch(officer, "complaint-form", case).content)
    assert value_of(lines, "Nama") == "Siti Aminah"
    assert value_of(lines, "Nomor KTP") == "1403024107900001"
    lines = pdf_lines(fetch(lead, "follow-up-form", case).content)
    assert value_of(lines, "Alamat") == "Jl. Pramuka No. 5"
    logged = IdentityAccess.objects.filter(complaint=case)
    assert sorted(logged.values_list("user__username", "purpose")) == [
        ("ketua", "print"), ("petugas", "print")]


def test_anonymous_reporter_prints_no_identity(walk_in, officer, fetch):
    case = walk_in(is_anonymous=True)
    for name in ("complaint-form", "follow-up-form"):
        text = pdf_text(fetch(officer, name, case).content)
        assert "Siti" not in text and "Pramuka" not in text and "1403024107900001" not in text
    lines = pdf_lines(fetch(officer, "complaint-form", case).content)
    assert value_of(lines, "Nama") == "(anonim)"
    assert value_of(lines, "Telepon") == "0812-3456-xxxx"
    assert not IdentityAccess.objects.filter(complaint=case).exists()
