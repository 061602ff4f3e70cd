"""Tracking codes in the public API: any spelling works; malformed, unknown and secret codes
get one identical 404; look-ups and reporter actions are limited per address and per code."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist, complaint_respond, complaint_verify
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.tracking import new_tracking_code
from aduan.complaints.workflow import Status

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints"


@pytest.fixture
def responded(office, officer):
    complaint = register_complaint(office)
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer, response="Izin sudah terbit.")
    complaint.refresh_from_db()
    return complaint


def test_the_receipt_and_the_status_carry_the_public_id(client, office):
    body = client.post(URL, {"subject": "SIP", "description": "SIP belum terbit.",
                             "is_anonymous": "true", "consent": "true"}).json()
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert body["public_id"] == complaint.public_id
    assert client.get(f"{URL}/{body['tracking_code']}").json()["public_id"] == complaint.public_id


def test_a_code_is_found_in_any_case_with_or_without_separators(client, responded):
    code = responded.tracking_code
    for typed in (code.lower(), code.replace("-", ""), code.replace("-", " ")):
        response = client.get(f"{URL}/{quote(typed)}")
        assert response.status_code == 200, typed
        assert response.json()["tracking_code"] == code


def test_malformed_unknown_and_secret_codes_get_one_identical_answer(client, office,
                                                                     responded):
    secret = register_complaint(office, is_secret=True)
    wrong = ["salah", "x" * 300, "a" * 40, new_tracking_code(), secret.tracking_code,
             responded.public_id, quote(responded.register_number.replace("/", "-")), "%00",
             "..", quote("K7QM 3XPD 9RTA 2F6Ö")]
    # (A "/" cannot be part of a code: such a path is no endpoint and gets the router's 404,
    # for any value alike.)
    for suffix, method, data in (("", "get", None),
                                 ("/reopen", "post", {"reason": "Belum selesai."}),
                                 ("/satisfaction", "post", {"statement": ""})):
        answers = set()
        for code in wrong:
            call = getattr(client, method)
            response = (call(f"{URL}/{code}{suffix}") if data is None else
                        call(f"{URL}/{code}{suffix}", data, content_type="application/json"))
            answers.add((response.status_code, response.content))
        assert len(answers) == 1, (suffix, answers)
        status, content = answers.pop()
        assert status == 404 and b'"not_found"' in content
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED


def test_one_code_is_limited_across_addresses(client, responded, settings):
    settings.ADUAN_API_RATE_LIMITS = {"track_code": (2, 3600)}
    code = responded.tracking_code
    assert client.get(f"{URL}/{code}", REMOTE_ADDR="10.3.0.1").status_code == 200
    assert client.get(f"{URL}/{code.lower()}", REMOTE_ADDR="10.3.0.2").status_code == 200
    refused = client.get(f"{URL}/{code.replace('-', '')}", REMOTE_ADDR="10.3.0.3")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert code not in refused.content.decode()
    assert client.get(f"{URL}/{new_tracking_code()}", REMOTE_ADDR="10.3.0.3").status_code == 404


def test_reporter_actions_are_limited_per_address_and_per_code(client, responded, settings):
    settings.ADUAN_API_RATE_LIMITS = {"reporter_action": (2, 3600),
                                      "reporter_action_code": (3, 3600)}
    code = responded.tracking_code
    reopen = f"{URL}/{code}/reopen"
    for _ in range(2):  # guesses from one address use up its allowance
        assert client.post(f"{URL}/{new_tracking_code()}/reopen", {"reason": "x"},
                           content_type="application/json").status_code == 404
    refused = client.post(reopen, {"reason": "Belum selesai."}, content_type="application/json")
    assert refused.status_code == 429
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED
    # Per code: whatever the address, the fourth action with one code is refused.
    early = f"{URL}/{code}/satisfaction"
    for i in range(3):
        response = client.post(early, {"statement": ""}, content_type="application/json",
                               REMOTE_ADDR=f"10.4.0.{i}")
        assert response.status_code == 200 if i == 0 else 409
    refused = client.post(reopen, {"reason": "Belum selesai."}, content_type="application/json",
                          REMOTE_ADDR="10.4.0.9")
    assert refused.status_code == 429
    responded.refresh_from_db()
    assert responded.status == Status.CLOSED
