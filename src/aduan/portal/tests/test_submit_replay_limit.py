"""A replay of an accepted form near the submission limits (issue 17 low-severity finding): the
limits were counted before the single-use form token was looked at, so a double click of the
last submission the address or the contact was allowed got 429 instead of its first receipt,
and a double click under the limit used up one more of the reporter's submissions. Over real
HTTP (Django's live server: each request its own thread, the form's own CSRF cookie)."""

from __future__ import annotations

import re

import httpx
import pytest
from django.core import signing

from aduan.complaints.models import SubmissionKey
from aduan.portal import throttle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def limits(settings, fast_form):
    settings.ADUAN_RATE_LIMITS = {"web_submit": (2, 3600), "submit_contact": (5, 3600)}
    if hasattr(settings, "ADUAN_PORTAL_SUBMIT_LIMIT"):
        del settings.ADUAN_PORTAL_SUBMIT_LIMIT
    return settings


def receipt(response: httpx.Response) -> object:
    """The submission a 302 leads to (the signed value carries its time: compare the value)."""
    assert response.status_code == 302, response.status_code
    signed = response.headers["location"].split("?r=", 1)[1]
    return signing.loads(signed, salt="aduan.portal.receipt")


class Reporter:
    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(timeout=30)
        page = self.http.get(f"{base}/pengaduan/kirim/")
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    def send(self, token: str, phone: str) -> httpx.Response:
        return self.http.post(f"{self.base}/pengaduan/kirim/", data={
            "csrfmiddlewaretoken": self.csrf, "name": "Rahmi Ayunda", "phone": phone,
            "subject": "Izin reklame belum terbit", "description": "Sudah sebulan menunggu.",
            "consent": "on", "website": "", "form_token": token})


def test_a_replay_at_the_address_limit_gets_its_first_receipt_and_counts_nothing(
        live_server, portal_office, limits):
    reporter = Reporter(live_server.url)
    try:
        first, second, third = (throttle.form_token() for _ in range(3))
        sent = reporter.send(first, "081234567801")
        assert sent.status_code == 302
        # A double click under the limit: the first receipt, and it uses up nothing.
        assert receipt(reporter.send(first, "081234567801")) == receipt(sent)
        last = reporter.send(second, "081234567802")
        assert last.status_code == 302, last.status_code  # was 429: the replay had counted
        # A double click of the last submission allowed: its receipt, not 429.
        for _ in range(3):
            assert receipt(reporter.send(second, "081234567802")) == receipt(last)
        # A fresh form is still over the limit.
        refused = reporter.send(third, "081234567803")
        assert refused.status_code == 429
        assert SubmissionKey.objects.filter(scope="web").count() == 2
    finally:
        reporter.http.close()


def test_a_replay_at_the_contact_limit_gets_its_first_receipt(live_server, portal_office,
                                                                limits):
    limits.ADUAN_RATE_LIMITS = {"web_submit": (20, 3600), "submit_contact": (1, 3600)}
    reporter = Reporter(live_server.url)
    try:
        token = throttle.form_token()
        sent = reporter.send(token, "081234567811")
        assert receipt(reporter.send(token, "081234567811")) == receipt(sent)
        assert reporter.send(throttle.form_token(), "081234567811").status_code == 429
        assert SubmissionKey.objects.filter(scope="web").count() == 1
    finally:
        reporter.http.close()
