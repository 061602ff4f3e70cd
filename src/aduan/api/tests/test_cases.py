"""Staff endpoints: token authentication, role and unit scoping, pagination, the steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aduan.api.models import ApiToken
from aduan.api.services import api_token_create, api_token_revoke
from aduan.complaints import services
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.complaints.services import Checklist, ReporterInput
from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db

JAKARTA = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def case_a(office, officer, lead):
    """A verified case dispositioned to Bidang Perizinan A, reporter confidential."""
    complaint = register_complaint(office, reporter=ReporterInput(
        name="Fathul Jannah", phone="081371771234", nik="1403021104907328",
        is_confidential=True))
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    return services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                      unit=office.units.get(code="perizinan-a"))


# --- Authentication --------------------------------------------------------------------------


def test_no_token_is_401_in_the_envelope(client, office):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthenticated"


def test_token_is_stored_hashed_and_records_last_use(client, officer):
    token, secret = api_token_create(user=officer, name="portal perizinan")
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert token.prefix == secret[:8] and token.last_used_at is None
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_expired_and_unknown_tokens_are_refused(client, officer):
    revoked, revoked_secret = api_token_create(user=officer, name="lama")
    api_token_revoke(token=revoked)
    expiring, expiring_secret = api_token_create(
        user=officer, name="sementara", expires_at=timezone.now() + dt.timedelta(hours=1))
    ApiToken.objects.filter(pk=expiring.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    for secret in (revoked_secret, expiring_secret, "adn_tidak-ada"):
        response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401


def test_inactive_users_token_is_refused(client, officer, token_for):
    headers = token_for(officer)
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/cases", **headers).status_code == 401


# --- Reading ---------------------------------------------------------------------------------


def test_unit_staff_list_only_their_units_cases(client, office, case_a, unit_a_staff,
                                                unit_b_staff, officer, token_for):
    other = register_complaint(office)
    ids = lambda user: [c["id"] for c in client.get(  # noqa: E731
        "/api/v1/cases", **token_for(user)).json()["items"]]
    assert ids(unit_a_staff) == [case_a.pk]
    assert ids(unit_b_staff) == []
    assert set(ids(officer)) == {case_a.pk, other.pk}


def test_unit_staff_of_another_unit_get_404_on_read_and_steps(client, case_a, unit_b_staff,
                                                              token_for):
    headers = token_for(unit_b_staff)
    assert client.get(f"/api/v1/cases/{case_a.pk}", **headers).status_code == 404
    response = client.post(f"/api/v1/cases/{case_a.pk}/clarify", {"clarification": "x"},
                           content_type="application/json", **headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    case_a.refresh_from_db()
    assert case_a.status == "dispositioned"


def test_case_detail_masks_confidential_reporter_for_unit_staff(client, case_a, unit_a_staff,
                                                                officer, token_for):
    body = client.get(f"/api/v1/cases/{case_a.pk}", **token_for(unit_a_staff)).json()
    reporter = body["reporter"]
    assert reporter["is_masked"] is True and reporter["name"] == "(dirahasiakan)"
    assert (reporter["nik"], reporter["phone"], reporter["email"]) == ("", "", "")
    assert "clarify" in body["actions"] and "dispose" not in body["actions"]
    assert not IdentityAccess.objects.exists()

    body = client.get(f"/api/v1/cases/{case_a.pk}", **token_for(officer)).json()
    assert body["reporter"]["name"] == "Fathul Jannah"
    assert body["reporter"]["nik"] == "1403021104907328"
    assert [e["kind"] for e in body["timeline"]] == ["received", "verified", "dispositioned"]
    assert body["timeline"][2]["actor"] == "ketua"
    # Every unmasked view of an identity is logged (SPEC §6).
    access = IdentityAccess.objects.get()
    assert access.user == officer and access.purpose == "api"


def test_list_filters(client, office, case_a, officer, token_for):
    other = register_complaint(office, channel_code="website", subject="OSS tidak bisa login")
    headers = token_for(officer)

    def ids(**params):
        response = client.get("/api/v1/cases", params, **headers)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    assert ids(unit="perizinan-a") == [case_a.pk]
    assert ids(status="received") == [other.pk]
    assert ids(channel="website") == [other.pk]
    assert ids(q="OSS login") == [other.pk]
    assert ids(state="settled") == []
    assert set(ids(state="open")) == {case_a.pk, other.pk}
    assert ids(received_from="2025-04-29") == []
    # Both cases were received on 28 April 2025: long past their 20 working days.
    assert set(ids(overdue="true")) == {case_a.pk, other.pk}
    assert ids(overdue="false") == []


def test_keyset_pagination_walks_every_case_once(client, office, officer, token_for,
                                                 django_assert_max_num_queries):
    base = dt.datetime(2025, 3, 3, 8, 0, tzinfo=JAKARTA)
    # Two complaints share a timestamp: the id breaks the tie.
    made = [register_complaint(office, received=base + dt.timedelta(hours=i // 2))
            for i in range(7)]
    headers = token_for(officer)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        with django_assert_max_num_queries(8):
            body = client.get("/api/v1/cases", params, **headers).json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [c.pk for c in sorted(made, key=lambda c: (c.received_at, c.pk),
                                         reverse=True)]


def test_bad_pagination_input_is_422(client, officer, token_for):
    headers = token_for(officer)
    assert client.get("/api/v1/cases", {"limit": 500}, **headers).status_code == 422
    response = client.get("/api/v1/cases", {"cursor": "bm90LWEtY3Vyc29y"}, **headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


# --- Steps -----------------------------------------------------------------------------------


def _post(client, headers, path, data):
    return client.post(path, data, content_type="application/json", **headers)


def test_full_procedure_through_the_api(client, office, officer, lead, unit_a_staff,
                                        token_for):
    complaint = register_complaint(office, received=timezone.now() - dt.timedelta(hours=1))
    url = f"/api/v1/cases/{complaint.pk}"
    off, ketua, unit = token_for(officer), token_for(lead), token_for(unit_a_staff)

    assert _post(client, off, f"{url}/verify", {"ktp_seen": True}).json()["status"] == \
        "verified"
    proposed = _post(client, off, f"{url}/propose-disposition", {"unit": "perizinan-a"})
    assert proposed.json()["status"] == "disposition_proposed"
    disposed = _post(client, ketua, f"{url}/dispose", {})  # approves the proposal
    assert disposed.json()["unit"] == "perizinan-a"
    assert _post(client, unit, f"{url}/clarify",
                 {"clarification": "Berkas sudah diverifikasi."}).json()["status"] == "clarified"
    assert _post(client, unit, f"{url}/follow-up",
                 {"note": "Izin diterbitkan.", "fault": "office"}).status_code == 200
    responded = _post(client, off, f"{url}/respond", {"response": "Izin Anda sudah terbit."})
    assert responded.json()["status"] == "responded"
    note = _post(client, unit, f"{url}/notes", {"note": "Arsip di lemari 3."})
    assert note.status_code == 201 and note.json()["kind"] == "note"
    closed = _post(client, off, f"{url}/close", {})
    assert closed.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.settled_on is not None
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["received", "verified", "disposition_proposed", "dispositioned",
                     "clarified", "followed_up", "responded", "note", "closed"]
    assert complaint.events.get(kind="closed").actor == officer


def test_role_refusal_is_403_and_state_refusal_is_409(client, office, officer, head,
                                                      token_for):
    complaint = register_complaint(office)
    url = f"/api/v1/cases/{complaint.pk}"
    response = _post(client, token_for(head), f"{url}/verify", {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "role_not_allowed"
    assert response.json()["error"]["message_en"] == "Your role may not perform this action."
    response = _post(client, token_for(officer), f"{url}/close", {})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    response = _post(client, token_for(officer), f"{url}/dispose", {"unit": "perizinan-a"})
    assert response.status_code == 403  # only the team lead dispositions
    assert Complaint.objects.get(pk=complaint.pk).status == "verified"


def test_step_input_errors(client, office, officer, token_for):
    complaint = register_complaint(office)
    url = f"/api/v1/cases/{complaint.pk}"
    headers = token_for(officer)
    response = _post(client, headers, f"{url}/answer", {"answer": ""})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"
    response = _post(client, headers, f"{url}/refer", {"agency": "tidak-ada", "reply": "x"})
    assert response.json()["error"]["code"] == "agency_unknown"
    response = _post(client, headers, f"{url}/refer", {"agency": "bpn"})
    assert response.status_code == 200 and response.json()["status"] == "referred"
    assert client.get("/api/v1/cases/999999", **headers).status_code == 404


def test_reference_lists_for_the_steps(client, office, officer, token_for):
    headers = token_for(officer)
    assert "perizinan-a" in {u["code"] for u in client.get("/api/v1/units", **headers).json()}
    assert "bpn" in {a["code"] for a in client.get("/api/v1/agencies", **headers).json()}
    assert client.get("/api/v1/units").status_code == 401


def test_staff_calls_are_rate_limited_per_user(client, officer, settings, token_for):
    settings.ADUAN_API_RATE_LIMITS = {"staff": (2, 60)}
    headers = token_for(officer)
    assert client.get("/api/v1/cases", **headers).status_code == 200
    assert client.get("/api/v1/cases", **headers).status_code == 200
    response = client.get("/api/v1/cases", **headers)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_case_detail_query_count_is_bounded(client, case_a, officer, token_for,
                                            django_assert_max_num_queries):
    headers = token_for(officer)
    for i in range(5):
        services.complaint_add_note(complaint_id=case_a.pk, actor=officer, body=f"catatan {i}")
    with django_assert_max_num_queries(14):
        body = client.get(f"/api/v1/cases/{case_a.pk}", **headers).json()
    assert len(body["timeline"]) == 8
