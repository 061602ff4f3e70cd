"""Reporters' rights and the public survey in a real browser (issue #20).

- The data-subject request: from the tracking page, a one-time code is sent to the reporter's
  e-mail (a real SMTP server), typed in, the request registered; then an officer answers it on
  the desk and the answer reaches the reporter's mailbox.
- The public satisfaction survey on a phone: a missing answer is named, the answers kept, then
  the answer stored.

Screenshots: portal-rights-*.png, desk-rights-*.png, portal-survey-*.png (var/screenshots/, or
docs/screenshots/ with ADUAN_SCREENSHOTS=1). axe-core finds nothing serious on any of them.
"""

from __future__ import annotations

import re

import pytest

from aduan.complaints.services import ReporterInput, complaint_register
from aduan.ikm.models import SurveyResponse
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.portal.services import web_channel_for
from aduan.rights.models import DataRequest, RequestStatus
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _code_in(inbox, address: str) -> str:
    for message in reversed(inbox.messages):
        if message["To"] == address and "verifikasi" in str(message["Subject"]).lower():
            return re.search(r"\b(\d{6})\b", message.get_content()).group(1)
    raise AssertionError("no verification code was mailed")


def test_a_reporter_asks_for_their_data_and_an_officer_answers(
        page, phone_page, live_server, portal, smtp_inbox, login):
    complaint = complaint_register(
        office=portal, channel=web_channel_for(portal), subject="SIP bidan belum terbit",
        description="Sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi Ayunda", email="ayunda@example.org",
                               phone="085156791234", consent=True))
    phone = phone_page
    phone.goto(f"{live_server.url}/lacak/")
    phone.fill("#id_code", complaint.tracking_code)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Tampilkan").click()
    phone.locator("#rights-start").scroll_into_view_if_needed()
    with phone.expect_navigation():
        phone.click("#rights-start")
    assert phone.locator("#rights-code-sent").is_visible()
    assert "ayunda@example.org" not in phone.content()
    assert axe_violations(phone) == []
    save_screenshot(phone, "portal-rights-verify-phone.png", full_page=True)

    # A wrong code first: refused, named, nothing registered.
    phone.fill("#id_otp", "000000")
    phone.check("input[name=kind][value=access]")
    with phone.expect_navigation():
        phone.click("#rights-submit")
    assert "Kode verifikasi salah" in phone.inner_text("#rights-error")
    assert not DataRequest.objects.exists()

    phone.fill("#id_otp", _code_in(smtp_inbox, "ayunda@example.org"))
    phone.check("input[name=kind][value=access]")
    phone.fill("#id_detail", "Mohon kirim data saya yang tersimpan.")
    with phone.expect_navigation():
        phone.click("#rights-submit")
    request = DataRequest.objects.get()
    assert request.number in phone.inner_text("#rights-done")
    assert axe_violations(phone) == []
    save_screenshot(phone, "portal-rights-done-phone.png")

    # The same page on a desktop, for the record.
    page.goto(f"{live_server.url}/lacak/data-pribadi/")
    assert axe_violations(page) == []
    save_screenshot(page, "portal-rights-start-desktop.png", full_page=True)

    # The officer works it on the desk: the clock, the pre-filled answer, sent by e-mail.
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/hak-data/")
    assert "jam lagi" in page.inner_text(".rights-table")
    assert axe_violations(page) == []
    save_screenshot(page, "desk-rights-list.png")
    with page.expect_navigation():
        page.click(f"text={request.number}")
    assert "Rahmi Ayunda" in page.input_value("#id_answer")
    assert axe_violations(page) == []
    save_screenshot(page, "desk-rights-detail.png", full_page=True)
    with page.expect_navigation():
        page.click("#answer-submit")
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert page.inner_text("#request-status") == "Dipenuhi"
    answers = [m for m in smtp_inbox.messages if m["To"] == "ayunda@example.org"
               and "Jawaban atas permintaan" in str(m["Subject"])]
    assert answers and "Rahmi Ayunda" in answers[-1].get_content()


def test_anyone_answers_the_satisfaction_survey_on_a_phone(phone_page, page, live_server,
                                                           portal):
    phone = phone_page
    phone.goto(f"{live_server.url}/survei/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the survey scrolls sideways by {overflow}px"
    assert axe_violations(phone) == []
    save_screenshot(phone, "portal-survey-phone.png")
    for code in ELEMENT_CODES:
        if code != "u4":
            phone.locator(f"#q-{code} label.ikm-answer").nth(3).click()
    for name, value in (("age_band", "30-39"), ("sex", "f"), ("education", "sma"),
                        ("occupation", "entrepreneur")):
        phone.check(f"input[name={name}][value='{value}']")
    with phone.expect_navigation():
        phone.click("#survey-submit")
    assert "Pilih jawaban untuk U4" in phone.inner_text("#survey-problems")
    assert phone.locator("#q-u1 input[value='4']").is_checked()
    assert axe_violations(phone) == []
    phone.locator("#q-u4 label.ikm-answer").nth(2).click()
    with phone.expect_navigation():
        phone.click("#survey-submit")
    assert phone.locator("#survey-done").is_visible()
    answer = SurveyResponse.objects.get()
    assert answer.elements["u4"] == 3 and answer.sex == "f"
    save_screenshot(phone, "portal-survey-done-phone.png")

    page.goto(f"{live_server.url}/survei/")
    assert axe_violations(page) == []
    save_screenshot(page, "portal-survey-desktop.png", full_page=True)
