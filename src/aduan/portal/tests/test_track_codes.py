"""Tracking codes on the portal: typed any way they work; malformed, unknown and secret codes
get one identical answer; lookups and reporter actions are limited per address and per code.
(The attack from outside over HTTP is tests/attack/.)"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from aduan.complaints.models import Complaint
from aduan.complaints.tracking import new_tracking_code
from aduan.complaints.workflow import Status

pytestmark = pytest.mark.django_db

TRACK = reverse("portal:track")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def _page(response, code: str) -> str:
    """The page without what legitimately differs: the echoed input and the CSRF token."""
    html = response.content.decode()
    html = html.replace(f'value="{escape(code)}"', 'value=""') if code else html
    return CSRF.sub("", html)


def test_a_code_is_found_in_any_case_with_or_without_separators(client, responded):
    code = responded.tracking_code
    for typed in (code.lower(), code.replace("-", ""), " ".join(code.replace("-", "")),
                  code.replace("-", " ").lower().replace("0", "o")):
        response = client.post(TRACK, {"code": typed})
        assert response.status_code == 200, typed
        assert responded.register_number in response.content.decode()


def test_malformed_unknown_and_secret_codes_get_one_identical_answer(client, responded,
                                                                     complaint):
    secret_code = new_tracking_code()
    Complaint.objects.filter(pk=complaint.pk).update(is_secret=True, tracking_code=secret_code)
    wrong = ["salah", "x" * 500, new_tracking_code(), secret_code, responded.public_id,
             responded.register_number, responded.tracking_code[:-1] + "!", "'\"<>&%00"]
    answers = []
    for code in wrong:
        response = client.post(TRACK, {"code": code})
        answers.append((response.status_code, _page(response, code[:65])))
    assert {status for status, _page_ in answers} == {404}
    assert len({page for _status, page in answers}) == 1
    assert "Kode pelacakan tidak ditemukan" in answers[0][1]
    # Each reporter action answers every wrong code alike, with the same "not found".
    for url, data in ((reverse("portal:reopen"), {"reason": "Belum selesai."}),
                      (reverse("portal:confirm-satisfaction"), {"agree": "on"}),
                      (reverse("portal:rate"), {"comment": "x"})):
        action = {(r.status_code, _page(r, code[:65])) for code in (secret_code, "salah", "x" * 100,
                                                            new_tracking_code())
                  for r in [client.post(url, {"code": code, **data})]}
        assert len(action) == 1
        status, page = action.pop()
        assert status == 404 and "Kode pelacakan tidak ditemukan" in page
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED


def test_one_code_is_limited_across_addresses(client, responded, settings):
    settings.ADUAN_API_RATE_LIMITS = {"track_code": (3, 3600)}
    code = responded.tracking_code
    spellings = [code, code.lower(), code.replace("-", "")]
    for i, typed in enumerate(spellings):
        assert client.post(TRACK, {"code": typed}, REMOTE_ADDR=f"10.0.0.{i}").status_code == 200
    refused = client.post(TRACK, {"code": code.lower()}, REMOTE_ADDR="10.0.0.99")
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert code not in refused.content.decode().replace(f'value="{code.lower()}"', "")
    # Another code from the same address is not affected; unknown codes are counted alike.
    assert client.post(TRACK, {"code": "salah"}, REMOTE_ADDR="10.0.0.99").status_code == 404


def test_reporter_actions_are_limited_per_address(client, responded, settings):
    settings.ADUAN_API_RATE_LIMITS = {"reporter_action": (2, 3600)}
    url = reverse("portal:reopen")
    for _ in range(2):
        assert client.post(url, {"code": new_tracking_code(), "reason": "x"}).status_code == 404
    refused = client.post(url, {"code": responded.tracking_code, "reason": "Belum selesai."})
    assert refused.status_code == 429
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED
    # From another address the reporter still gets through.
    ok = client.post(url, {"code": responded.tracking_code, "reason": "Belum selesai."},
                     REMOTE_ADDR="10.1.1.1")
    assert ok.status_code == 200
    responded.refresh_from_db()
    assert responded.status == Status.REOPENED


def test_reporter_actions_are_limited_per_code(client, responded, settings):
    settings.ADUAN_API_RATE_LIMITS = {"reporter_action_code": (2, 3600)}
    url = reverse("portal:confirm-satisfaction")
    code = responded.tracking_code
    for i in range(2):  # without the statement ticked: refused by the form, but counted
        response = client.post(url, {"code": code.lower()}, REMOTE_ADDR=f"10.2.0.{i}")
        assert response.status_code == 422
    refused = client.post(url, {"code": code, "agree": "on"}, REMOTE_ADDR="10.2.0.9")
    assert refused.status_code == 429
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED
