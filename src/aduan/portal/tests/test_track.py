"""Tracking: the public sees status, public timeline and replies, never personal data or
internal notes; lookups are rate limited; the reporter confirms and reopens (rating:
test_rating.py). The `complaint` and `responded` fixtures are in conftest.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import EventKind
from aduan.complaints.services import Checklist, complaint_respond, complaint_verify
from aduan.complaints.workflow import Status

pytestmark = pytest.mark.django_db

TRACK = reverse("portal:track")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_track_page_shows_status_and_public_reply_but_no_personal_data(client, responded):
    response = client.post(TRACK, {"code": responded.tracking_code})
    assert response.status_code == 200
    html = response.content.decode()
    assert responded.register_number in html
    assert "Ditanggapi" in html
    assert "SIP Anda sudah terbit, silakan unduh di e-Pinter." in html
    for private in ("Rahmi", "1403021104907328", "85156791234", "0851-5679",
                    "ayunda@example.org", "Jl. Perwira 7", "CATATAN-INTERNAL-123"):
        assert private not in html
    # The demo officer is called "petugas", a word the IKM questions use: look outside them.
    outside_survey = re.sub(r'<section class="card rating-survey".*?</section>', "", html,
                            flags=re.DOTALL)
    assert 'id="rating"' in html and 'id="rating"' not in outside_survey
    assert responded.events.get(kind=EventKind.VERIFIED).actor.username not in outside_survey
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_code_gives_a_clear_message(client, responded):
    response = client.post(TRACK, {"code": "bukan-kode-yang-benar"})
    assert response.status_code == 404
    assert "Kode pelacakan tidak ditemukan" in response.content.decode()
    response = client.post(TRACK, {"code": ""})
    assert "Masukkan kode pelacakan." in response.content.decode()


def test_the_21st_lookup_within_a_minute_is_refused(client, responded):
    for _ in range(20):
        assert client.post(TRACK, {"code": "salah"}).status_code == 404
    response = client.post(TRACK, {"code": responded.tracking_code})
    assert response.status_code == 429
    assert "Terlalu banyak pencarian dari alamat Anda" in response.content.decode()
    assert client.post(TRACK, {"code": responded.tracking_code},
                       REMOTE_ADDR="10.9.9.9").status_code == 200


def test_reporter_confirms_satisfaction_and_the_case_closes(client, responded):
    response = client.post(reverse("portal:confirm-satisfaction"),
                           {"code": responded.tracking_code, "agree": "on"})
    assert response.status_code == 200
    assert "Pernyataan puas Anda telah dicatat" in response.content.decode()
    responded.refresh_from_db()
    assert responded.status == Status.CLOSED
    assert responded.is_satisfied is True
    event = responded.events.get(kind=EventKind.SATISFACTION_CONFIRMED)
    assert responded.register_number in event.body and event.is_public


def test_satisfaction_needs_the_statement_ticked(client, responded):
    response = client.post(reverse("portal:confirm-satisfaction"),
                           {"code": responded.tracking_code})
    assert "Centang pernyataan puas untuk melanjutkan." in response.content.decode()
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED


def test_not_satisfied_reopens_with_the_reason_shown_escaped(client, responded):
    reason = "Belum bisa diunduh. " + XSS
    response = client.post(reverse("portal:reopen"),
                           {"code": responded.tracking_code, "reason": reason})
    html = response.content.decode()
    assert "Pengaduan dibuka kembali" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    responded.refresh_from_db()
    assert responded.status == Status.REOPENED
    assert responded.is_satisfied is False
    assert responded.events.get(kind=EventKind.REOPENED).body == reason


def test_satisfaction_is_refused_before_a_response(client, complaint):
    response = client.post(reverse("portal:confirm-satisfaction"),
                           {"code": complaint.tracking_code, "agree": "on"})
    assert response.status_code == 422
    assert "tidak dapat dilakukan pada pengaduan berstatus" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_actions_with_a_wrong_code_change_nothing(client, responded):
    response = client.post(reverse("portal:reopen"), {"code": "salah", "reason": "x"})
    assert "Kode pelacakan tidak ditemukan" in response.content.decode()
    responded.refresh_from_db()
    assert responded.status == Status.RESPONDED


def test_html_in_every_text_field_is_shown_escaped_to_public_and_staff(
        client, portal_office, form_data, officer):
    fields = ("name", "address", "occupation", "company_name", "subject", "description")
    response = client.post(reverse("portal:submit"), form_data(**dict.fromkeys(fields, XSS)))
    assert response.status_code == 302
    from aduan.complaints.models import Complaint

    complaint = Complaint.objects.get()
    assert complaint.subject == XSS and complaint.reporter.name == XSS
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer, response=XSS)
    page = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    receipt = client.get(client.post(reverse("portal:submit"), form_data(
        **dict.fromkeys(fields, XSS)))["Location"]).content.decode()
    login_verified(client, officer)
    staff = client.get(reverse("desk:complaint-detail", args=[complaint.pk]))
    assert staff.status_code == 200
    for html in (page, receipt, staff.content.decode()):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_html_in_fields_is_escaped_when_the_form_is_redisplayed(client, portal_office,
                                                                 form_data):
    response = client.post(reverse("portal:submit"), form_data(
        name=XSS, address=XSS, subject=XSS, description=XSS, phone="12"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_the_lookup_limit_is_a_sliding_window_across_minute_boundaries(rf, monkeypatch):
    from aduan.portal import throttle

    now = [1000 * 60 - 1.0]  # one second before a minute boundary
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    request = rf.post("/lacak/")
    assert all(throttle.hit("track", request, (3, 60)) for _ in range(3))
    now[0] += 2  # a fixed per-minute bucket would start counting again here
    assert not throttle.hit("track", request, (3, 60))
    now[0] += 61
    assert throttle.hit("track", request, (3, 60))
