"""The inbound desk pages in a real browser: LAPOR! record form and the review list."""

from __future__ import annotations

import pytest

from aduan.complaints.models import Complaint
from aduan.intake.services import Incoming, inbound_process, inbound_store
from aduan.offices.models import ChannelKind
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _url_modules_loaded() -> None:
    """Import every URL module before the browser's first request (it takes seconds on a
    busy machine and would eat into the page-load timeout)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


def test_officer_records_a_lapor_report_with_the_keyboard(page, live_server, users, login):
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/saluran/lapor/")
    page.fill("#id_tracking_id", "LPR-2025-0777")
    page.fill("#id_received_on", "2025-06-02")
    page.select_option("#id_classification", "complaint")
    page.fill("#id_subject", "SIP perawat belum terbit")
    page.fill("#id_description", "Permohonan SIP perawat sejak Mei belum ada kabar.")
    page.fill("#id_service_text", "SIP Perawat")
    page.fill("#id_reporter_name", "Rudi")
    page.focus("#id_is_secret")
    page.keyboard.press("Space")
    page.focus("#lapor-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    complaint = Complaint.objects.get(lapor_tracking_id="LPR-2025-0777")
    assert complaint.is_secret
    body = page.inner_text("main") + page.inner_text(".messages")
    assert "dicatat sebagai pengaduan" in body
    assert complaint.register_number in body
    assert "5 Juni 2025" in body  # verify and dispose by: 3 working days after 2 June 2025
    save_screenshot(page, "intake-lapor.png", full_page=True)


def test_review_list_shows_unplaced_messages_on_a_phone(phone_page, live_server, users, login):
    for body, sender in (("Foto tanpa keterangan", ""), ("<script>alert(1)</script>", "")):
        message, _ = inbound_store(Incoming(channel_kind=ChannelKind.WHATSAPP, provider="meta",
                                            raw=body.encode(), sender=sender, body=body,
                                            data={"kind": "message"}))
        inbound_process(message_id=message.pk)
    login(phone_page, "petugas")
    phone_page.goto(f"{live_server.url}/desk/saluran/")
    text = phone_page.inner_text("main")
    assert "Foto tanpa keterangan" in text
    assert "<script>alert(1)</script>" in text  # shown as text, never run
    assert "Pengirim pesan tidak diketahui." in text
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    save_screenshot(phone_page, "intake-review-phone.png", full_page=True)


def _backlog_rows() -> None:
    import datetime as dt

    from django.utils import timezone

    from aduan.intake.models import InboundMessage

    now = timezone.now()
    for status, body, error, minutes in (
            ("quarantined", "", "Butir payload tidak dapat dibaca: TypeError('text is str')", 2),
            ("failed", "Jalan rusak di depan kantor", "Gagal diproses otomatis: "
             "OperationalError('database is locked')", 6),
            ("received", "Izin usaha belum terbit", "", 12)):
        InboundMessage.objects.create(
            channel_kind="whatsapp", provider="meta", raw=b'{"message": "x"}',
            parse_status=status, body=body, error=error, sender="+6281234567890",
            received_at=now - dt.timedelta(minutes=minutes),
            parsed_at=None if status == "received" else now)


@pytest.mark.parametrize("width", [1280, 390])
def test_review_list_shows_stuck_failed_and_quarantined_rows_with_retry(
        new_page, live_server, users, login, width):
    from tests.e2e.axe import axe_violations

    _backlog_rows()
    page = new_page(viewport={"width": width, "height": 900})
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/saluran/")
    text = page.inner_text("main")
    for label in ("Dikarantina", "Gagal diproses", "Macet (belum diproses)",
                  "pembersih otomatis"):
        assert label in text
    assert page.inner_text("#backlog-stuck") == "1"
    assert page.locator("button", has_text="Proses ulang").count() == 3
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    suffix = "-phone" if width == 390 else ""
    save_screenshot(page, f"intake-review-backlog{suffix}.png", full_page=True)
