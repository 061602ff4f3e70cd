"""Tracking as people really copy codes, in Chromium on a phone and a desktop: lower case,
no separators, spaces, O for 0 and I for 1; the register number plus the phone's last four
digits as a second way in; the helpful message for an unknown code. Screenshots and axe."""

from __future__ import annotations

import pytest

from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_register,
    complaint_respond,
    complaint_verify,
)
from aduan.portal.services import web_channel_for
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(portal, officer):  # type: ignore[no-untyped-def]
    complaint = complaint_register(
        office=portal, channel=web_channel_for(portal), subject="SIP bidan belum terbit",
        description="Sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi Ayunda", phone="0851-5679-1234", consent=True))
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer,
                      response="SIP Anda sudah terbit, silakan unduh di e-Pinter.")
    complaint.refresh_from_db()
    return complaint


def _copied_spellings(code: str) -> list[str]:
    bare = code.replace("-", "")
    confused = bare.replace("0", "O").replace("1", "I")
    return [code.lower(), bare, " ".join(bare[i:i + 4] for i in range(0, 16, 4)),
            confused.lower()]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_tracking_variants_in_the_browser(request, live_server, case, device):  # type: ignore[no-untyped-def]
    page = request.getfixturevalue("phone_page" if device == "phone" else "page")
    for typed in _copied_spellings(case.tracking_code):
        page.goto(f"{live_server.url}/lacak/")
        page.fill("#id_code", typed)
        page.click("#track-submit")
        page.wait_for_selector("#case-status")
        assert case.register_number in page.inner_text("#main"), typed
    save_screenshot(page, f"track-code-variant-{device}.png", full_page=True)

    # Unknown code: the message says what a code looks like and offers the second way in.
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    page.click("#track-submit")
    error = page.inner_text("#track-error")
    assert "16 huruf dan angka" in error and "nomor pengaduan" in error
    assert page.locator("#track-by-number").get_attribute("open") is not None
    save_screenshot(page, f"track-not-found-{device}.png", full_page=True)
    assert axe_violations(page) == []

    # The second way in: register number as printed, last four digits of the phone.
    page.fill("#id_number", " " + case.register_number.lower() + " ")
    page.fill("#id_phone_last4", "1234")
    page.click("#track-number-submit")
    page.wait_for_selector("#by-number-note")
    assert "SIP Anda sudah terbit" in page.inner_text("#timeline")
    assert page.locator("#confirm-satisfied").count() == 0
    save_screenshot(page, f"track-by-number-{device}.png", full_page=True)
    assert axe_violations(page) == []

    # Wrong digits: one plain answer.
    page.goto(f"{live_server.url}/lacak/")
    page.click("#track-by-number summary")
    page.fill("#id_number", case.register_number)
    page.fill("#id_phone_last4", "9999")
    page.click("#track-number-submit")
    assert "Tidak ada pengaduan dengan nomor pengaduan" in page.inner_text("#id_number_error")
    assert axe_violations(page) == []
