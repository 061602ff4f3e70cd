"""A staff member of two offices on the other surfaces (issue 18): API tokens are issued for
one office and never roam; a report requested in office B is built with B's scope, in the
worker too."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from aduan.accounts.models import Membership, Role
from aduan.accounts.testing import login_verified
from aduan.accounts.tests.test_memberships import make_office, switch
from aduan.api.models import ApiToken
from aduan.api.services import api_token_create
from aduan.complaints.models import Complaint
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import ValidationFailed
from aduan.reports.models import JobStatus, ReportJob
from aduan.reports.services import report_job_request, report_job_run

pytestmark = pytest.mark.django_db
SEMESTER = {"start": "2025-01-01", "end": "2025-06-30"}


@pytest.fixture
def office_b(office):
    return make_office("dinas-b", "Dinas Bee")


@pytest.fixture
def multi(make_user, office_b):
    user = make_user("multi", Role.OFFICER)
    Membership.objects.create(user=user, office=office_b, unit=office_b.units.get(code="u"),
                              roles=[Role.UNIT_STAFF.value])
    return user


@pytest.fixture
def cases(office, office_b):
    a = register_complaint(office, subject="Kasus A", description="Isi kasus kantor A")
    b_u = register_complaint(office_b, subject="Kasus BU", description="Isi kasus B unit U")
    b_v = register_complaint(office_b, subject="Kasus BV", description="Isi kasus B unit V")
    Complaint.objects.filter(pk=b_u.pk).update(unit=office_b.units.get(code="u"))
    Complaint.objects.filter(pk=b_v.pk).update(unit=office_b.units.get(code="v"))
    return {"a": a, "b_u": b_u, "b_v": b_v}


def _ids(client, secret: str) -> tuple[int, list[int]]:
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    if response.status_code != 200:
        return response.status_code, []
    return 200, sorted(c["id"] for c in response.json()["items"])


def test_api_token_works_in_the_office_it_was_issued_for_only(client, multi, office,
                                                              office_b, cases):
    home, home_secret = api_token_create(user=multi, name="rumah")
    assert home.office == office
    other, b_secret = api_token_create(user=multi, name="dinas b", office=office_b)
    assert other.office == office_b

    assert _ids(client, home_secret) == (200, [cases["a"].pk])
    assert _ids(client, b_secret) == (200, [cases["b_u"].pk])  # unit staff of U there
    auth_b = {"HTTP_AUTHORIZATION": f"Bearer {b_secret}"}
    auth_home = {"HTTP_AUTHORIZATION": f"Bearer {home_secret}"}
    assert client.get(f"/api/v1/cases/{cases['a'].pk}", **auth_b).status_code == 404
    assert client.get(f"/api/v1/cases/{cases['b_v'].pk}", **auth_b).status_code == 404
    assert client.get(f"/api/v1/cases/{cases['b_u'].pk}", **auth_b).status_code == 200
    assert client.get(f"/api/v1/cases/{cases['b_u'].pk}", **auth_home).status_code == 404

    # A browser session switched to B changes nothing for the tokens.
    login_verified(client, multi)
    assert switch(client, office_b) == 302
    client.logout()
    assert _ids(client, home_secret) == (200, [cases["a"].pk])

    # The membership ends: B's token stops working; it never falls back to the home office.
    Membership.objects.filter(user=multi).update(is_active=False)
    assert _ids(client, b_secret) == (401, [])
    assert _ids(client, home_secret) == (200, [cases["a"].pk])
    # Saving the user while a token applied B never wrote B as the home office.
    multi.refresh_from_db()
    assert multi.office == office and multi.unit is None


def test_a_token_cannot_be_issued_for_an_office_without_membership(multi, office):
    office_c = make_office("dinas-c", "Dinas Cee")
    with pytest.raises(ValidationFailed):
        api_token_create(user=multi, name="x", office=office_c)
    with pytest.raises(CommandError):
        call_command("create_api_token", "multi", "--office", "dinas-c")
    with pytest.raises(CommandError):
        call_command("create_api_token", "multi", "--office", "no-such-office")
    assert not ApiToken.objects.exists()
    call_command("create_api_token", "multi", "--office", "dinas-b")
    assert ApiToken.objects.get().office.code == "dinas-b"


def test_tokens_from_before_offices_upgrade_to_the_home_office(client, officer, office):
    """A token row without an office (made before this change; the migration fills it from
    the user) acts in the user's home office exactly as before."""
    token, secret = api_token_create(user=officer, name="lama")
    ApiToken.objects.filter(pk=token.pk).update(office=None)
    case = register_complaint(office)
    assert _ids(client, secret) == (200, [case.pk])


def _register_rows(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheet = book.worksheets[0]
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_register_export_requested_in_b_holds_only_what_the_user_sees_in_b(
        client, multi, office, office_b, cases, django_capture_on_commit_callbacks):
    login_verified(client, multi)
    assert switch(client, office_b) == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:job-create"),
                               {**SEMESTER, "kind": "register_xlsx"})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.office == office_b
    assert job.status == JobStatus.DONE, job.error
    assert job.rows == 1
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    text = " ".join(_register_rows(b"".join(download.streaming_content)))
    assert "Isi kasus B unit U" in text
    assert "Isi kasus B unit V" not in text and "Isi kasus kantor A" not in text

    # Back home, the same export is A's.
    assert switch(client, office) == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:job-create"), {**SEMESTER, "kind": "register_xlsx"})
    home_job = ReportJob.objects.exclude(pk=job.pk).get()
    assert home_job.office == office and home_job.rows == 1
    # B's job is not reachable from A (the job belongs to B).
    assert client.get(reverse("reports:job-download", args=[job.pk])).status_code == 404


def test_a_job_whose_requester_left_the_office_fails_visibly(multi, office_b, cases):
    from aduan.accounts.memberships import user_in_office

    in_b = user_in_office(multi, office_b.pk)
    assert in_b is not None and in_b.office_id == office_b.pk
    job = report_job_request(actor=in_b, kind="register_xlsx", start=date(2025, 1, 1),
                             end=date(2025, 6, 30))
    Membership.objects.filter(user=multi).delete()
    job = report_job_run(job.pk)
    assert job.status == JobStatus.FAILED
    assert "tidak lagi bekerja" in job.error
    assert not job.file
