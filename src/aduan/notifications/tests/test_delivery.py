"""Delivery: the task claims, sends through the channel's provider, records; retries and fails.

SMTP is a real aiosmtpd server; Meta's Graph API and the SMS gateway are mocked at the HTTP
boundary with respx (they live off this machine).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import httpx
import pytest
import respx
import time_machine
from django.utils import timezone

from aduan.complaints import services as complaint_services
from aduan.notifications import services
from aduan.notifications.models import OutboxMessage, OutboxStatus, ReplyToken
from aduan.notifications.tasks import deliver_outbox_message, sweep_outbox
from aduan.notifications.tests.factories import register
from aduan.offices.models import ChannelKind

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.test/v21.0"


@pytest.fixture
def whatsapp(settings):
    settings.ADUAN_WHATSAPP_ENABLED = True
    settings.WHATSAPP_GRAPH_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN = "test-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1234567890"
    settings.WHATSAPP_TEMPLATE_NAME = "aduan_pemberitahuan"
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "id"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post(f"{GRAPH}/1234567890/messages")


@pytest.fixture
def sms_gateway(settings):
    settings.ADUAN_SMS_ENABLED = True
    settings.SMS_GATEWAY_URL = "http://gateway.test:8080"
    settings.SMS_GATEWAY_USERNAME = "sms"
    settings.SMS_GATEWAY_PASSWORD = "rahasia"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post("http://gateway.test:8080/message")


def test_receipt_is_delivered_over_smtp_with_traceable_message_id(
    office, web_channel, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = register(office, web_channel, email="rina@example.id")
    message = OutboxMessage.objects.get(complaint=complaint)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    # Random, not derived from the row's number: a bounce cannot be forged by counting.
    assert re.fullmatch(r"<[0-9a-f]{32}@aduan\.localhost>", message.provider_message_id)
    [mail] = smtp.messages
    assert mail["Message-ID"] == message.provider_message_id
    assert mail["To"] == "rina@example.id"
    token = ReplyToken.objects.get(complaint=complaint, email="rina@example.id").token
    assert mail["Subject"] == (
        f"[{complaint.register_number}] Pengaduan Anda telah diterima [ref:{token}]")
    assert mail["Reply-To"] == f"pengaduan+{token}@aduan.localhost"
    assert complaint.tracking_code in mail.get_content()
    assert mail["References"] == f"<complaint-{complaint.pk}@aduan.localhost>"


def test_delivering_twice_sends_once(office, web_channel, smtp):
    complaint = register(office, web_channel, email="rina@example.id")
    message = OutboxMessage.objects.get(complaint=complaint)
    assert deliver_outbox_message.call(message.pk) == "sent"
    assert deliver_outbox_message.call(message.pk) == "skipped"
    assert len(smtp.messages) == 1


def test_unreachable_smtp_retries_with_exponential_backoff_then_fails(
    office, web_channel, settings
):
    from aduan.notifications.tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.ADUAN_OUTBOX_MAX_ATTEMPTS = 3
    settings.ADUAN_OUTBOX_BACKOFF_SECONDS = 60
    complaint = register(office, web_channel, email="rina@example.id")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert services.outbox_deliver(pk).outcome == "retry"
        message = OutboxMessage.objects.get(pk=pk)
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert message.next_attempt_at == start + dt.timedelta(seconds=60)
        assert "tidak dapat dihubungi" in message.last_error
        # Not due yet: a second task run does nothing.
        assert services.outbox_deliver(pk).outcome == "skipped"
        clock.shift(dt.timedelta(seconds=61))
        assert services.outbox_deliver(pk).outcome == "retry"
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.next_attempt_at == timezone.now() + dt.timedelta(seconds=120)
        clock.shift(dt.timedelta(seconds=121))
        assert services.outbox_deliver(pk).outcome == "failed"
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
        assert message.failed_at is not None


def test_refused_mailbox_fails_at_once(office, web_channel, smtp):
    smtp.refuse = ("salah@example.id",)
    complaint = register(office, web_channel, email="salah@example.id")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    assert services.outbox_deliver(pk).outcome == "failed"
    message = OutboxMessage.objects.get(pk=pk)
    assert message.attempts == 1
    assert "salah@example.id" in message.last_error


def test_sweeper_requeues_due_retries_and_delivers_them(office, web_channel, smtp, settings):
    complaint = register(office, web_channel, email="rina@example.id")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    OutboxMessage.objects.filter(pk=pk).update(
        attempts=1, next_attempt_at=timezone.now() - dt.timedelta(seconds=1), enqueued_at=None
    )
    # The immediate backend runs the re-queued delivery at once.
    assert sweep_outbox.call() == {"recovered": 0, "requeued": 1}
    message = OutboxMessage.objects.get(pk=pk)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert len(smtp.messages) == 1


def test_sweeper_recovers_a_message_left_sending_by_a_killed_worker(
    office, web_channel, smtp, settings
):
    settings.ADUAN_OUTBOX_STUCK_SECONDS = 60
    complaint = register(office, web_channel, email="rina@example.id")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    now = timezone.now()
    # What a worker killed mid-send leaves: claimed, attempt counted, never recorded.
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=now - dt.timedelta(seconds=30)
    )
    assert services.outbox_sweep(now=now) == {"recovered": 0, "requeued": 0}
    assert OutboxMessage.objects.get(pk=pk).status == OutboxStatus.SENDING
    with time_machine.travel(now + dt.timedelta(seconds=31), tick=False):
        assert services.outbox_sweep() == {"recovered": 1, "requeued": 1}
    message = OutboxMessage.objects.get(pk=pk)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    # The resend stores and sends one random id.
    assert [m["Message-ID"] for m in smtp.messages] == [message.provider_message_id]


def test_whatsapp_reply_inside_the_service_window_is_free_text(office, wa_channel, whatsapp):
    whatsapp.return_value = httpx.Response(
        200,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": "6281268610005", "wa_id": "6281268610005"}],
            "messages": [{"id": "wamid.RECEIPT1"}],
        },
    )
    complaint = register(office, wa_channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    assert services.outbox_deliver(pk).outcome == "sent"
    request = whatsapp.calls.last.request
    assert request.headers["Authorization"] == "Bearer test-token"
    payload = json.loads(request.content)
    assert payload["to"] == "6281268610005"
    assert payload["type"] == "text"
    assert complaint.tracking_code in payload["text"]["body"]
    assert payload["biz_opaque_callback_data"] == f"outbox-{pk}"
    assert OutboxMessage.objects.get(pk=pk).provider_message_id == "wamid.RECEIPT1"


def test_whatsapp_reply_after_the_window_uses_the_approved_template(
    office, wa_channel, whatsapp, officer
):
    whatsapp.return_value = httpx.Response(200, json={"messages": [{"id": "wamid.T"}]})
    received = timezone.now() - dt.timedelta(hours=30)
    complaint = register(office, wa_channel, phone="081268610005", received_at=received)
    complaint_services.complaint_answer(
        complaint_id=complaint.pk, actor=officer, answer="Silakan ajukan\nmelalui e-Pinter."
    )
    message = OutboxMessage.objects.get(complaint=complaint, template_code="answer")
    assert services.outbox_deliver(message.pk).outcome == "sent"
    payload = json.loads(whatsapp.calls.last.request.content)
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "aduan_pemberitahuan"
    assert payload["template"]["language"] == {"code": "id"}
    params = payload["template"]["components"][0]["parameters"]
    assert params[0]["text"] == complaint.register_number
    assert "\n" not in params[1]["text"]
    assert "Silakan ajukan melalui e-Pinter." in params[1]["text"]


def test_a_later_message_from_the_reporter_reopens_the_window(
    office, wa_channel, whatsapp, officer
):
    whatsapp.return_value = httpx.Response(200, json={"messages": [{"id": "wamid.W"}]})
    complaint = register(
        office,
        wa_channel,
        phone="081268610005",
        received_at=timezone.now() - dt.timedelta(hours=30),
    )
    complaint_services.complaint_add_message(
        complaint_id=complaint.pk, body="Bagaimana?", data={"wa_message_id": "wamid.IN"}
    )
    complaint_services.complaint_answer(
        complaint_id=complaint.pk, actor=officer, answer="Sedang diproses."
    )
    message = OutboxMessage.objects.get(complaint=complaint, template_code="answer")
    services.outbox_deliver(message.pk)
    assert json.loads(whatsapp.calls.last.request.content)["type"] == "text"


def test_whatsapp_client_error_fails_at_once_and_server_error_retries(office, wa_channel, whatsapp):
    complaint = register(office, wa_channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    whatsapp.return_value = httpx.Response(503, json={"error": {"message": "busy"}})
    assert services.outbox_deliver(pk).outcome == "retry"
    assert "503" in OutboxMessage.objects.get(pk=pk).last_error
    OutboxMessage.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
    whatsapp.return_value = httpx.Response(
        400, json={"error": {"message": "(#131030) Recipient phone number not in allowed list"}}
    )
    assert services.outbox_deliver(pk).outcome == "failed"
    message = OutboxMessage.objects.get(pk=pk)
    assert "131030" in message.last_error
    assert message.attempts == 2


def test_whatsapp_not_configured_fails_with_a_clear_reason(office, wa_channel, settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    complaint = register(office, wa_channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    with respx.mock(assert_all_called=False) as mock:
        assert services.outbox_deliver(pk).outcome == "failed"
        assert not mock.calls
    assert "belum dikonfigurasi" in OutboxMessage.objects.get(pk=pk).last_error


def test_sms_goes_through_the_android_gateway_with_our_id(office, sms_gateway):
    channel = office.channels.create(code="sms", name="SMS", kind=ChannelKind.SMS)
    sms_gateway.return_value = httpx.Response(
        202,
        json={
            "id": "outbox-placeholder",
            "state": "Pending",
            "recipients": [{"phoneNumber": "+6281268610005", "state": "Pending"}],
        },
    )
    complaint = register(office, channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    assert services.outbox_deliver(pk).outcome == "sent"
    request = sms_gateway.calls.last.request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"sms:rahasia").decode()
    body = json.loads(request.content)
    assert body["id"] == f"outbox-{pk}"
    assert body["phoneNumbers"] == ["+6281268610005"]
    assert complaint.register_number in body["textMessage"]["text"]


def test_sms_gateway_down_is_retried(office, sms_gateway):
    channel = office.channels.create(code="sms", name="SMS", kind=ChannelKind.SMS)
    sms_gateway.side_effect = httpx.ConnectError("connection refused")
    complaint = register(office, channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    assert services.outbox_deliver(pk).outcome == "retry"
    assert "tidak dapat dihubungi" in OutboxMessage.objects.get(pk=pk).last_error


def test_administrator_resends_failed_messages_from_the_admin(
    admin_client, office, wa_channel, settings, whatsapp, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    complaint = register(office, wa_channel, phone="081268610005")
    pk = OutboxMessage.objects.get(complaint=complaint).pk
    assert services.outbox_deliver(pk).outcome == "failed"
    # The channel gets configured; the administrator sends the failed message again.
    settings.WHATSAPP_ACCESS_TOKEN = "test-token"
    whatsapp.return_value = httpx.Response(200, json={"messages": [{"id": "wamid.AGAIN"}]})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/outboxmessage/",
            {"action": "retry_failed", "_selected_action": [pk]},
            follow=True,
        )
    assert "1 pesan dijadwalkan" in response.content.decode()
    message = OutboxMessage.objects.get(pk=pk)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.provider_message_id == "wamid.AGAIN"


def test_a_rolled_back_registration_leaves_no_message_and_sends_nothing(
    office, web_channel, smtp, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        register(office, web_channel, email="rina@example.id")
        raise RuntimeError("a later step of the same request failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert smtp.messages == []
