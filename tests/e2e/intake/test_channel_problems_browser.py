"""What an officer sees on the case page when a channel let the case down: a WhatsApp photo
that could not be fetched (pending attachment, with "Ambil sekarang"), and a message the
reporter could not be reached with on any channel (the red alert). Phone and desktop, axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aduan.complaints.tests.factories import register_complaint
from aduan.intake.models import InboundMessage, MediaFetch, MediaFetchStatus
from aduan.notifications.fallback import outbox_reroute_or_alert
from aduan.notifications.models import OutboxMessage, OutboxStatus
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _case_with_problems(office):  # type: ignore[no-untyped-def]
    complaint = register_complaint(office, subject="Foto pungutan di loket")
    inbound = InboundMessage.objects.create(
        office=office, channel_kind="whatsapp", provider="meta", raw=b"{}",
        provider_message_id="wamid.e2e", sender="+6281234567890", complaint=complaint,
        received_at=timezone.now(), data={"kind": "message"})
    MediaFetch.objects.create(
        complaint=complaint, inbound=inbound, channel_kind="whatsapp", media_id="65463453",
        name="image.jpg", declared_type="image/jpeg", status=MediaFetchStatus.PENDING,
        attempts=2, next_attempt_at=timezone.now() + dt.timedelta(minutes=2),
        last_error="Server media tidak ditemukan atau sudah kedaluwarsa (HTTP 404).")
    MediaFetch.objects.create(
        complaint=complaint, inbound=inbound, channel_kind="whatsapp", media_id="99",
        name="video.mp4", status=MediaFetchStatus.FAILED,
        last_error="Berkas media terlalu besar (maksimal 10 MB).")
    receipt = OutboxMessage.objects.create(
        complaint=complaint, template_code="receipt", channel="whatsapp",
        recipient="+6281234567890", body="Pengaduan Anda telah diterima.",
        dedupe_key="e2e-receipt", status=OutboxStatus.FAILED, attempts=1,
        last_error="WhatsApp 131047 (HTTP 400): (#131047) Re-engagement message")
    outbox_reroute_or_alert(receipt.pk, error=receipt.last_error, unreachable=True)
    return complaint


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_officer_sees_pending_attachments_and_the_unreachable_reporter_alert(
        request, live_server, login, users, office, viewport):
    page = request.getfixturevalue(viewport)
    complaint = _case_with_problems(office)
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengaduan/{complaint.pk}/")
    alert = page.locator("#outbox-alerts")
    expect(alert).to_contain_text("Hubungi pelapor dengan cara lain")
    expect(alert).to_contain_text("131047")
    pending = page.locator("#pending-media")
    expect(pending).to_contain_text("image.jpg")
    expect(pending).to_contain_text("Menunggu diambil ulang")
    expect(pending).to_contain_text("video.mp4")
    expect(pending).to_contain_text("terlalu besar")
    expect(pending.locator("button")).to_have_count(2)
    # Nothing serious in what this page adds (the case header's status badge is reported
    # separately: its contrast is not part of these blocks).
    mine = [v for v in axe_violations(page)
            if "#outbox-alerts" in v or "#pending-media" in v or "media-" in v]
    assert mine == []
    suffix = "phone" if viewport == "phone_page" else "desktop"
    save_screenshot(page, f"desk-case-channel-problems-{suffix}.png")
    pending.scroll_into_view_if_needed()
    save_screenshot(page, f"desk-case-pending-media-{suffix}.png")
