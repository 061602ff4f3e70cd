"""The licensing system's push: token (hash only, constant-time compare), rate limit,
idempotency by number, bad rows answered and kept aside, hostile bodies refused."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.watch.models import ImportJob, PermitApplication, PushToken, RejectedRow
from aduan.watch.push import push_token_issue

URL = "/pengawasan/push/"


@pytest.fixture
def token(office):
    _row, plain = push_token_issue(office, "SiCantik")
    return plain


def push(client, body, token=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


ROWS = {"applications": [
    {"number": "503/APT/2025/0201", "applicant_name": "Apotek Maju", "permit_type": "Izin Apotek",
     "submitted_on": "2025-03-03", "complete_on": "6 Maret 2025", "phone": "081268610011",
     "holder": "Dinas Kesehatan", "status": "Proses"},
    {"number": "503/APT/2025/0202", "applicant_name": "", "permit_type": "Izin Apotek",
     "submitted_on": "2025-03-03"},
    "not an object",
]}


@pytest.mark.django_db
def test_push_imports_rows_and_answers_the_bad_ones(client, office, token):
    assert reverse("watch_push:push") == URL
    response = push(client, ROWS, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 2)
    assert [e["index"] for e in body["errors"]] == [2, 3]
    assert PermitApplication.objects.get().source == "push"
    job = ImportJob.objects.get(pk=body["job"])
    assert RejectedRow.objects.filter(job=job).count() == 2
    again = push(client, ROWS, token).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert PushToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_only_the_hash_is_stored_and_wrong_tokens_are_refused(client, office, token):
    row = PushToken.objects.get()
    assert token not in (row.token_hash, row.prefix) and row.prefix == token[:12]
    for bad in ["", "pws_wrong", token + "x", token.upper(), "Basic " + token]:
        headers = {"Authorization": bad} if bad.startswith("Basic") else {}
        response = push(client, ROWS, None if bad.startswith("Basic") else bad, **headers)
        assert response.status_code == 401, bad
    row.is_active = False
    row.save()
    assert push(client, ROWS, token).status_code == 401
    assert not PermitApplication.objects.exists()


@pytest.mark.django_db
def test_push_is_rate_limited_per_address(client, office, token, settings):
    settings.ADUAN_RATE_LIMITS = {"watch_push": (3, 3600)}
    codes = [push(client, {"applications": []}, "pws_guess").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert push(client, ROWS, token).status_code == 429  # the right token waits too


@pytest.mark.django_db
def test_oversized_and_malformed_bodies_are_refused(client, office, token):
    assert push(client, b"{not json", token).status_code == 400
    assert push(client, b"\xff\xfe", token).status_code == 400
    assert push(client, {"applications": "x"}, token).status_code == 400
    too_many = {"applications": [{}] * 1001}
    assert push(client, too_many, token).status_code == 400
    nested = b"[" * 100000 + b"]" * 100000
    assert push(client, nested, token).status_code in (400, 413)
    assert push(client, {"applications": [{"number": {"$gt": ""}}]}, token).json()[
        "rejected"] == 1
    assert client.get(URL).status_code == 405


values = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(),
                   st.booleans(), st.lists(st.integers(), max_size=2))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(
    ["number", "applicant_name", "permit_type", "submitted_on", "complete_on", "phone",
     "email", "nib", "status", "finished_on", "other"]), values), max_size=5))
@pytest.mark.django_db
def test_fuzzed_pushes_never_fail_and_account_for_every_row(client, office, token, items):
    response = push(client, {"applications": items}, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] + body["updated"] + body["unchanged"] + body["rejected"] == len(items)


@pytest.mark.django_db
def test_the_command_issues_a_working_token(client, office):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("watch_push_token", office.code, "SiCantik", stdout=out)
    plain = out.getvalue().splitlines()[1]
    assert push(client, {"applications": []}, plain).status_code == 200
