"""The central intake's routing desk in a real browser (issue 18): a citizen's web submission
reaches the central intake; its officer sees it on the routing desk with the offices ranked by
the triage engine, routes it with one click and a confirmation from the keyboard (a double
click moves nothing twice), and the receiving office's officer finds it in their inbox.
Phone and desktop screenshots of the desk; axe finds nothing serious."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.e2e

SUBJECT = "Jalan berlubang di Jalan Pramuka"
DESCRIPTION = ("Jalan Pramuka depan SD 12 Bengkalis berlubang besar dan tergenang air setiap "
               "hujan, sudah dua motor jatuh minggu ini. Mohon segera diperbaiki Dinas PUPR.")


@pytest.fixture
def regency(db, settings):
    """The central intake first (the instance's default office for public pages), then the
    demo office and three more, with their complaint teams."""
    from aduan.accounts.models import Role
    from aduan.accounts.testing import totp_device_for
    from aduan.complaints.tests.regency import central_intake, regency_offices, staff
    from aduan.demo.office import load_demo_office

    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    central = central_intake()
    demo = load_demo_office()
    demo.authority = "dpmptsp"
    demo.save()
    others = regency_offices()
    router = staff(central, "petugas_pusat", Role.OFFICER)
    receiver = staff(others["pupr"], "petugas_pupr", Role.OFFICER)
    for user in (router, receiver):
        totp_device_for(user)
    return central, others, router, receiver


def _backlog(central) -> None:
    """Cases that came in before today, so the desk shows a late one and a due-soon one."""
    from django.utils import timezone

    from aduan.assist.compute import assist_case
    from aduan.complaints.routing import routing_clock
    from aduan.complaints.tests.factories import JAKARTA, register_complaint
    from aduan.offices.calendar import calendar_for_office

    calendar = calendar_for_office(central.pk)
    today = timezone.localdate()
    late, soon = today - dt.timedelta(days=10), today
    while not routing_clock(calendar, soon, today).is_due_soon:
        soon -= dt.timedelta(days=1)
    for day, subject, text in (
            (late, "KTP-el belum dicetak", "Rekam KTP-el tiga bulan lalu di kecamatan, sampai "
             "sekarang KTP belum dicetak dan NIK tidak aktif."),
            (soon, "Sampah menumpuk di pasar", "Sampah di Pasar Terubuk tidak diangkut seminggu, "
             "bau menyengat dan banyak lalat.")):
        case = register_complaint(central, subject=subject, description=text,
                                  received=dt.datetime.combine(day, dt.time(9), tzinfo=JAKARTA))
        assist_case(case.pk)


def test_web_submission_is_routed_to_the_office_that_then_sees_it(
        new_page, page, phone_page, live_server, login, regency):
    from aduan.assist.compute import assist_case
    from aduan.complaints.models import CaseTransfer, Complaint

    central, others, router, receiver = regency
    page.goto(f"{live_server.url}/pengaduan/kirim/")
    page.fill("#id_name", "Rahmi Ayunda")
    page.fill("#id_phone", "0851-5679-1234")
    page.fill("#id_email", "ayunda@example.org")
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_description", DESCRIPTION)
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.office_id == central.pk and complaint.channel.kind == "web"
    first_number = complaint.register_number
    assist_case(complaint.pk)  # what the worker does after the submission
    _backlog(central)
    page.context.clear_cookies()

    for device, tab in (("phone", phone_page), ("desktop", page)):
        login(tab, router.username, "x-test-pass-123")
        tab.goto(f"{live_server.url}/desk/rute/")
        card = tab.locator(f"#rute-{complaint.pk}")
        expect(card).to_contain_text(SUBJECT)
        expect(tab.locator(".route-case.is-overdue")).to_have_count(1)
        expect(tab.locator(".route-case.is-due-soon")).to_have_count(1)
        assert axe_violations(tab) == []
        save_screenshot(tab, f"desk-routing-{device}.png", full_page=True)

    # The engine reads the road as PUPR's: its office is the first suggestion.
    card = page.locator(f"#rute-{complaint.pk}")
    first = card.locator(".route-pick").first
    expect(first).to_contain_text("Dinas PUPR")
    first.focus()
    page.keyboard.press("Enter")
    confirm = card.get_by_role("button", name="Ya, rutekan")
    expect(confirm).to_be_focused()
    expect(card).to_contain_text("Dinas Pekerjaan Umum dan Penataan Ruang")
    confirm.dblclick()
    expect(page.locator(f"#rute-{complaint.pk} .msg")).to_contain_text("dirutekan ke")
    expect(page.locator("#routing-counts")).to_contain_text("Menunggu rute 2")
    assert CaseTransfer.objects.filter(complaint=complaint).count() == 1
    complaint.refresh_from_db()
    assert complaint.office_id == others["pupr"].pk and complaint.tracking_code == code
    assert complaint.register_number != first_number

    pupr_page = new_page()
    login(pupr_page, receiver.username, "x-test-pass-123")
    pupr_page.goto(f"{live_server.url}/desk/")
    expect(pupr_page.locator(".case-link")).to_have_text(complaint.register_number)
    pupr_page.locator(".case-link").click()
    expect(pupr_page.locator("body")).to_contain_text(SUBJECT)
