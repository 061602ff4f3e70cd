"""The officer-facing audit view: who may read it, its filters, pages and query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.audit.models import AuditRecord, Surface
from aduan.audit.services import audit_denial

pytestmark = pytest.mark.django_db

URL = "/desk/audit/"


def _deny(user, path: str = "/desk/pengaduan/7/", *, status: int = 403, action: str = "x",
          object_id: str = "7") -> AuditRecord:
    request = RequestFactory().get(path, REMOTE_ADDR="198.51.100.4")
    record = audit_denial(request, status_code=status, user=user, action=action,
                          object_type="complaint", object_id=object_id)
    assert record is not None
    return record


@pytest.mark.parametrize("username", ["ketua", "kadis", "admin"])
def test_team_lead_head_and_administrator_see_the_audit(client, users, username):
    _deny(users["petugas"], action="complaint.conclude")
    login_verified(client, users[username])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "complaint.conclude" in html and "petugas" in html and "198.51.100.4" in html
    assert 'href="/desk/audit/"' in html  # in the desk navigation


@pytest.mark.parametrize("username", ["petugas", "perizinan_a"])
def test_officers_and_unit_staff_are_refused_and_that_is_audited_too(client, users, username):
    login_verified(client, users[username])
    assert client.get(URL).status_code == 403
    assert AuditRecord.objects.filter(username=username, action="audit:denial-list").exists()
    assert 'href="/desk/audit/"' not in client.get("/desk/").content.decode()


def test_filters_narrow_the_list(client, users):
    petugas, unit_a = users["petugas"], users["perizinan_a"]
    _deny(petugas, action="complaint.conclude", object_id="11")
    _deny(unit_a, "/api/v1/cases/12/dispose", action="api-v1:case_dispose", object_id="12")
    _deny(unit_a, "/desk/pengaduan/13/", status=404, action="desk:complaint-detail",
          object_id="13")
    old = _deny(petugas, action="complaint.close", object_id="14")
    AuditRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40))
    login_verified(client, users["ketua"])

    def ids(**query) -> list[str]:  # type: ignore[no-untyped-def]
        response = client.get(URL, query)
        assert response.status_code == 200
        return [r.object_id for r in response.context["records"]]

    assert ids() == ["13", "12", "11", "14"]
    assert ids(username="perizinan") == ["13", "12"]
    assert ids(surface=Surface.API) == ["12"]
    assert ids(status_code="404") == ["13"]
    assert ids(action="conclude") == ["11"]
    assert ids(object_id="14") == ["14"]
    today = timezone.localdate().isoformat()
    assert ids(start=today, end=today) == ["13", "12", "11"]
    response = client.get(URL, {"start": today, "end": "2000-01-01"})
    assert response.status_code == 400


def test_other_offices_records_are_not_shown(client, users, office):
    from aduan.offices.models import Office

    other = Office.objects.create(name="Dinas Lain", short_name="Lain", code="lain", city="Lain")
    record = _deny(users["petugas"], object_id="99")
    AuditRecord.objects.filter(pk=record.pk).update(office=other)
    login_verified(client, users["ketua"])
    assert client.get(URL).context["records"] == []


def test_pages_of_fifty_with_a_fixed_number_of_queries(client, users,
                                                       django_assert_max_num_queries):
    user = users["petugas"]
    AuditRecord.objects.bulk_create([
        AuditRecord(user=user, username=user.username, office_id=user.office_id,
                    action="complaint.conclude", object_type="complaint", object_id=str(i),
                    status_code=403, surface=Surface.DESK) for i in range(120)])
    login_verified(client, users["ketua"])
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page": 3, "action": "conclude"})
    assert len(response.context["records"]) == 20
    html = response.content.decode()
    assert "Halaman 3 dari 3" in html and "action=conclude&amp;page=2" in html
