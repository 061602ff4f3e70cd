"""The IKM rating on a phone with JavaScript off: nine radio groups with large targets, a
missing answer named in Indonesian with the other answers kept, then the rating stored.

The rating form is saved as var/screenshots/portal-rating-*.png (docs/screenshots/ with
ADUAN_SCREENSHOTS=1).
"""

from __future__ import annotations

import pytest

from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_register,
    complaint_respond,
    complaint_verify,
)
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.portal.services import web_channel_for
from tests.e2e.conftest import PHONE
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {"u1": 4, "u2": 3, "u3": 2, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 1}


@pytest.fixture
def phone_without_js(new_page):  # type: ignore[no-untyped-def]
    return new_page(**PHONE, java_script_enabled=False)


def test_rating_the_nine_elements_on_a_phone_without_javascript(
        phone_without_js, live_server, portal, officer, settings):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = "0.11"
    page = phone_without_js
    complaint = complaint_register(
        office=portal, channel=web_channel_for(portal), subject="SIP bidan belum terbit",
        description="Sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi Ayunda", phone="085156791234", consent=True))
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer,
                      response="SIP Anda sudah terbit, silakan unduh di e-Pinter.")

    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", complaint.tracking_code)
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_selector("#rating")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the track page scrolls sideways by {overflow}px"
    answers = page.locator(".ikm-answer")
    assert answers.count() == 36
    for i in range(answers.count()):
        box = answers.nth(i).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 140, box
    page.locator("#ikm-u1").scroll_into_view_if_needed()
    save_screenshot(page, "portal-rating-phone.png")

    # Leave U3 and U8 unanswered: the page comes back at the form, naming them.
    for code, value in ANSWERS.items():
        if code not in ("u3", "u8"):
            page.locator(f"#ikm-{code} label.ikm-answer").nth(value - 1).click()
    page.fill("#id_comment", "Petugas ramah.")
    with page.expect_navigation():
        page.click("#rate-submit")
    problems = page.inner_text("#rating-problems")
    assert "Pilih jawaban untuk U3 (Waktu penyelesaian)." in problems
    assert "Pilih jawaban untuk U8 (Penanganan pengaduan, saran dan masukan)." in problems
    assert page.url.endswith("#rating")
    assert page.locator("#rating-title").evaluate(
        "e => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().top < innerHeight")
    for code, value in ANSWERS.items():
        checked = page.locator(f"input[name={code}][value='{value}']").is_checked()
        assert checked == (code not in ("u3", "u8")), code
    assert page.input_value("#id_comment") == "Petugas ramah."
    assert ServiceRating.objects.count() == 0
    save_screenshot(page, "portal-rating-phone-error.png")
    page.click("#rating-problems a[href='#ikm-u3']")
    save_screenshot(page, "portal-rating-phone-missing.png")

    page.locator("#ikm-u3 label.ikm-answer").nth(ANSWERS["u3"] - 1).click()
    page.locator("#ikm-u8 label.ikm-answer").nth(ANSWERS["u8"] - 1).click()
    with page.expect_navigation():
        page.click("#rate-submit")
    assert "Terima kasih atas penilaian Anda." in page.inner_text("#track-done")
    assert "Anda menilai layanan ini 3 dari 4" in page.inner_text("#rating")
    rating = ServiceRating.objects.get(complaint=complaint)
    assert rating.elements == {code: ANSWERS[code] for code in ELEMENT_CODES}
    assert (rating.score, rating.comment) == (3, "Petugas ramah.")

    # The public statistics show the index of that one respondent: 28 points over nine
    # elements, 28 x 0.11 x 25 = 77.00, grade B.
    page.goto(f"{live_server.url}/statistik/")
    assert page.inner_text("#ikm-value") == "77,00"
    assert "Mutu B (Baik)" in page.inner_text("#ikm-grade")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the statistics page scrolls sideways by {overflow}px"
    page.locator("#ikm").scroll_into_view_if_needed()
    save_screenshot(page, "portal-statistics-ikm-phone.png")
