"""Case intelligence in a real browser: suggestions and related cases on the case page, the
canned-answer picker pre-filling the answer, and an automatic answer seen by the reporter on
the confirmation and tracking pages and by the officer on the case's thread. Phone and desktop
screenshots; axe-core finds nothing serious."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone
from playwright.sync_api import expect

from aduan.assist.models import AssistMode, ChannelAssist, InstantAnswer, InstantState
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput, complaint_add_message
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.workflow import Status
from aduan.portal.demo import load_demo_faq
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _assist_on_new_cases(settings):
    settings.ADUAN_ASSIST_ON_NEW_CASES = True  # off in the test settings for other areas

QUESTION = "Selamat siang, bagaimana cara mengurus izin penelitian untuk skripsi saya?"


def _case(office, text, *, channel="website", days_ago=0, reporter=None):
    return register_complaint(
        office, channel_code=channel, subject="", description=text,
        received=timezone.now() - dt.timedelta(days=days_ago),
        reporter=reporter or ReporterInput(name="Nur Aisyah", phone="081371770001",
                                           email="nur@contoh.id", consent=True))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_case_page_with_suggestions_related_case_and_the_canned_picker(
        viewport, page, phone_page, live_server, login, users, office):
    load_demo_faq(office)
    _case(office, "Mohon info syarat izin penelitian di Bengkalis", days_ago=2)
    # Registered outside a test transaction: the suggestions are computed on commit, as in
    # production (immediate task backend in tests).
    complaint = _case(office, QUESTION)
    tab = page if viewport == "desktop" else phone_page
    login(tab, "petugas")
    tab.goto(f"{live_server.url}/desk/pengaduan/{complaint.pk}/")
    expect(tab.locator("#suggestions")).to_contain_text("Permintaan informasi")
    expect(tab.locator("#suggest-service_type")).to_contain_text("Izin Penelitian")
    expect(tab.locator("#related")).to_contain_text("Kemungkinan pelapor yang sama")
    assert axe_violations(tab) == []
    tab.locator("#suggestions").scroll_into_view_if_needed()
    save_screenshot(tab, f"desk-case-suggestions-{viewport}.png", full_page=True)

    # The picker: search, pick, edit, send.
    tab.click("#action-answer > summary")
    picker = tab.locator("#canned-answer-answer")
    expect(picker.locator(".canned-item").first).to_contain_text("penelitian")
    tab.fill("#canned-q-answer-answer", "dokter gigi")
    expect(picker.locator(".canned-item").first).to_contain_text("SIP")
    tab.fill("#canned-q-answer-answer", "penelitian")
    expect(picker.locator(".canned-item").first).to_contain_text("penelitian")
    picker.locator(".canned-item").first.click()
    answer = tab.locator("#id_answer-answer")
    expect(answer).not_to_have_value("")
    assert axe_violations(tab) == []
    picker.scroll_into_view_if_needed()
    save_screenshot(tab, f"desk-case-canned-picker-{viewport}.png")
    answer.fill(answer.input_value() + "\nSalam, petugas pengaduan.")
    tab.click("#submit-answer")
    expect(tab.locator("#case-status")).to_have_text("Selesai (dijawab langsung)")
    complaint.refresh_from_db()
    assert complaint.response_text.endswith("Salam, petugas pengaduan.")


def test_instant_answer_thread_for_the_reporter_and_the_officer(
        page, phone_page, live_server, login, users, office):
    load_demo_faq(office)
    ChannelAssist.objects.create(office=office, channel_kind="web", mode=AssistMode.AUTOMATIC,
                                 threshold=0.2)
    complaint = _case(office, QUESTION)
    instant = InstantAnswer.objects.get(complaint=complaint)
    # The confirmation page shows the answer once computed (htmx polls for it).
    receipt = signing.dumps(complaint.pk, salt="aduan.portal.receipt")
    for tab, name in ((phone_page, "phone"), (page, "desktop")):
        tab.goto(f"{live_server.url}/pengaduan/terkirim/?r={receipt}")
        expect(tab.locator("#instant-answer")).to_contain_text("Jawaban otomatis")
        expect(tab.locator("#instant-yes")).to_be_visible()
        assert axe_violations(tab) == []
        tab.locator("#instant-answer").scroll_into_view_if_needed()
        save_screenshot(tab, f"portal-instant-answer-{name}.png")

    # On the tracking page the reporter says it did not help: the case goes to an officer.
    phone_page.goto(f"{live_server.url}/lacak/")
    phone_page.fill("#id_code", complaint.tracking_code)
    phone_page.click("#track-submit")
    expect(phone_page.locator("#instant-answer")).to_contain_text(instant.text[:40])
    phone_page.click("#instant-no")
    expect(phone_page.locator("#track-done")).to_contain_text("diteruskan kepada petugas")
    expect(phone_page.locator("#instant-state")).to_be_visible()
    assert axe_violations(phone_page) == []
    instant.refresh_from_db()
    assert instant.state == InstantState.NOT_HELPFUL
    complaint_add_message(complaint_id=complaint.pk, body="Untuk mahasiswa luar daerah sama?",
                          data={})

    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengaduan/{complaint.pk}/")
    expect(page.locator("#instant-answer")).to_contain_text(
        "Pelapor belum terbantu oleh jawaban otomatis")
    expect(page.locator("#timeline")).to_contain_text("[Jawaban otomatis]")
    assert axe_violations(page) == []
    save_screenshot(page, "desk-case-instant-thread-desktop.png", full_page=True)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


def test_reporter_yes_on_a_phone_settles_the_case(phone_page, live_server, office):
    load_demo_faq(office)
    ChannelAssist.objects.create(office=office, channel_kind="web", mode=AssistMode.AUTOMATIC,
                                 threshold=0.2)
    complaint = _case(office, QUESTION)
    phone_page.goto(f"{live_server.url}/lacak/")
    phone_page.fill("#id_code", complaint.tracking_code)
    phone_page.click("#track-submit")
    phone_page.click("#instant-yes")
    expect(phone_page.locator("#track-done")).to_contain_text("pengaduan selesai")
    expect(phone_page.locator("#case-status")).to_have_text("Selesai (dijawab langsung)")
    save_screenshot(phone_page, "portal-instant-answer-helpful-phone.png", full_page=True)
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.settled_on is not None
