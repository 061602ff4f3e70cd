"""Forwarding a case between offices in a real browser (issue 18): the seed office's officer
forwards a case to Dinas PUPR from the case page (office, reason, confirmation); PUPR's
officer finds it marked in the inbox and refuses it with a reason; back at the seed office the
case has its old number and the timeline shows both hops. Phone and desktop screenshots of the
forwarded case's timeline; axe finds nothing serious."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.e2e

REASON = "Jalan kabupaten yang rusak adalah kewenangan Dinas PUPR, bukan DPMPTSP."
REFUSAL = "Jalan Pramuka ruas desa: kewenangan pemerintah desa, bukan Dinas PUPR."


@pytest.fixture
def offices(db, users):
    from aduan.accounts.models import Role
    from aduan.accounts.testing import totp_device_for
    from aduan.complaints.models import Complaint
    from aduan.complaints.tests.factories import register_complaint
    from aduan.complaints.tests.regency import regency_offices, staff
    from aduan.demo.office import load_demo_office

    demo = load_demo_office()
    others = regency_offices()
    receiver = staff(others["pupr"], "petugas_pupr", Role.OFFICER)
    totp_device_for(receiver)
    case = register_complaint(
        demo, channel_code="website", subject="Jalan berlubang di Jalan Pramuka",
        description="Jalan Pramuka depan SD 12 Bengkalis berlubang besar dan tergenang air "
                    "setiap hujan; dua motor jatuh minggu ini.",
        received=timezone.localtime().replace(microsecond=0) - dt.timedelta(minutes=30))
    return demo, others["pupr"], receiver, Complaint.objects.get(pk=case.pk)


def _case_url(live_server, case) -> str:
    return f"{live_server.url}/desk/pengaduan/{case.pk}/"


def test_forward_then_refuse_then_back_at_the_sender(new_page, page, phone_page, live_server,
                                                     login, offices):
    from aduan.complaints.models import CaseTransfer, Complaint, EventKind

    demo, pupr, receiver, case = offices
    first_number = case.register_number

    # The seed office's officer forwards the case.
    login(page, "petugas")
    page.goto(_case_url(live_server, case))
    page.click("#action-forward summary")
    page.select_option("#id_forward-to_office", str(pupr.pk))
    page.fill("#id_forward-reason", REASON)
    page.check("#id_forward-confirm")
    page.click("#submit-forward")
    page.wait_for_url(f"{live_server.url}/desk/diteruskan/")
    expect(page.locator("#transfers-out")).to_contain_text(pupr.name)
    expect(page.locator("#transfers-out")).to_contain_text(first_number)
    moved = Complaint.objects.get(pk=case.pk)
    assert moved.office_id == pupr.pk and moved.tracking_code == case.tracking_code
    # The sender no longer opens the case.
    response = page.goto(_case_url(live_server, case))
    assert response is not None and response.status == 404

    # PUPR's officer finds it in the inbox, marked, and sees the hop on the timeline.
    pupr_page = new_page()
    login(pupr_page, receiver.username, "x-test-pass-123")
    pupr_page.goto(f"{live_server.url}/desk/")
    expect(pupr_page.locator("body")).to_contain_text(f"Diteruskan dari {demo.name}")
    pupr_page.click(f"text={moved.register_number}")
    expect(pupr_page.locator("#forwarded-from")).to_contain_text(demo.name)
    expect(pupr_page.locator("#first-register-number")).to_contain_text(first_number)
    expect(pupr_page.locator("#case-timeline")).to_contain_text(REASON)
    assert axe_violations(pupr_page) == []
    save_screenshot(pupr_page, "desk-forwarded-case-desktop.png", full_page=True)

    # The same page on a phone.
    login(phone_page, receiver.username, "x-test-pass-123")
    phone_page.goto(_case_url(live_server, case))
    expect(phone_page.locator("#forwarded-from")).to_be_visible()
    phone_page.locator("#case-timeline").scroll_into_view_if_needed()
    save_screenshot(phone_page, "desk-forwarded-case-phone.png", full_page=True)

    # PUPR refuses: the case goes back to the seed office with its old number.
    pupr_page.click("#action-refuse_forward summary")
    pupr_page.fill("#id_refuse_forward-reason", REFUSAL)
    pupr_page.click("#submit-refuse_forward")
    pupr_page.wait_for_url(f"{live_server.url}/desk/")
    back = Complaint.objects.get(pk=case.pk)
    assert back.office_id == demo.pk and back.register_number == first_number
    assert CaseTransfer.objects.get().state == "refused"
    pupr_page.context.close()

    page.goto(_case_url(live_server, case))
    timeline = page.locator("#case-timeline")
    expect(timeline).to_contain_text(REFUSAL)
    expect(timeline.locator(".event-forwarded")).to_have_count(1)
    expect(timeline.locator(".event-forward_refused")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text(first_number)
    assert list(back.events.filter(kind__in=[EventKind.FORWARDED, EventKind.FORWARD_REFUSED])
                .values_list("kind", flat=True)) == [EventKind.FORWARDED,
                                                     EventKind.FORWARD_REFUSED]
    page.goto(f"{live_server.url}/desk/diteruskan/")
    expect(page.locator("#transfers-out")).to_contain_text(REFUSAL)
