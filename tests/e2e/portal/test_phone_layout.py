"""The portal on a phone (390x844): no page scrolls sideways, every control is reachable.

With ADUAN_SCREENSHOTS=1 the pages are also saved as docs/screenshots/portal-*.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist, complaint_respond, complaint_verify

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _check(page, name: str) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    if os.environ.get("ADUAN_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)


def test_portal_pages_fit_a_phone(phone_page, live_server, portal, officer):
    page = phone_page
    page.goto(f"{live_server.url}/")
    _check(page, "home")

    page.goto(f"{live_server.url}/pengaduan/kirim/")
    page.fill("#id_name", "Rahmi Ayunda")
    page.fill("#id_phone", "0812-34")
    page.fill("#id_email", "ayunda@example.org")
    page.fill("#id_subject", "SIP belum terdaftar")
    page.fill("#id_description", "Saya ingin melihat SIP saya sudah terdaftar atau belum.")
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#form-problems")
    assert "Nomor telepon tidak valid" in page.inner_text("#form-problems")
    _check(page, "submit-error")

    page.goto(f"{live_server.url}/pengaduan/kirim/")
    _check(page, "submit")
    page.fill("#id_name", "Rahmi Ayunda")
    page.fill("#id_phone", "0851-5679-1234")
    page.fill("#id_email", "ayunda@example.org")
    page.fill("#id_subject", "SIP belum terdaftar")
    page.fill("#id_description", "Saya ingin melihat SIP saya sudah terdaftar atau belum.")
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    _check(page, "confirmation")

    complaint = Complaint.objects.get()
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer,
                      response="Selamat siang, untuk melihat SIP sudah terdaftar atau belum "
                               "bisa melakukan tracking di menu tracking "
                               "epinter.bengkaliskab.go.id.")
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", complaint.tracking_code)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_selector("#timeline")
    _check(page, "track")

    page.goto(f"{live_server.url}/informasi/?q=sip+bidan")
    _check(page, "faq")
    page.goto(f"{live_server.url}/statistik/")
    _check(page, "statistics")
