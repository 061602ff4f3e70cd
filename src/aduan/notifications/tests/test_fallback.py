"""Notification policy: permanent errors fail at once; a channel that cannot reach the reporter
hands the message to their other channel, else an officer is alerted on the case.

Meta's Graph API and the SMS gateway are a real local HTTP server (`intake.testing.graph`)
that the senders reach through their settings; e-mail goes to a real aiosmtpd server.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import EventKind
from aduan.intake.testing.graph import Reply
from aduan.notifications import services
from aduan.notifications.fallback import outbox_reroute_or_alert
from aduan.notifications.models import OutboxMessage, OutboxStatus
from aduan.notifications.tests.factories import register

pytestmark = pytest.mark.django_db

MESSAGES = "/v21.0/1122334455667/messages"


@pytest.fixture
def meta(graph, settings):
    settings.ADUAN_WHATSAPP_ENABLED = True
    settings.ADUAN_SMS_ENABLED = False
    return graph


@pytest.fixture
def sms(meta, settings):
    """The SMS gateway on the same stand-in server, accepting every message."""
    settings.ADUAN_SMS_ENABLED = True
    settings.SMS_GATEWAY_URL = meta.url(path="/sms")
    settings.SMS_GATEWAY_USERNAME = "sms"
    settings.SMS_GATEWAY_PASSWORD = "rahasia"
    meta.on("POST", "127.0.0.1", "/sms/message",
            lambda seen: Reply.json({"id": json.loads(seen.body)["id"], "state": "Pending"},
                                    202))
    return meta


def meta_error(code: int, status: int = 400, title: str = "error") -> Reply:
    return Reply.json({"error": {"message": f"(#{code}) {title}", "type": "OAuthException",
                                 "code": code, "fbtrace_id": "A1"}}, status)


def wa_receipt(office, wa_channel, **reporter) -> OutboxMessage:
    complaint = register(office, wa_channel, phone="081268610005", **reporter)
    return OutboxMessage.objects.get(complaint=complaint, channel="whatsapp")


def test_131047_outside_the_window_falls_back_to_sms_on_the_same_number(
        office, wa_channel, sms, django_capture_on_commit_callbacks):
    sms.on("POST", "127.0.0.1", MESSAGES, meta_error(131047, title="Re-engagement message"))
    message = wa_receipt(office, wa_channel, email="rina@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_deliver(message.pk).outcome == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "131047" in message.last_error
    fallback = OutboxMessage.objects.get(complaint=message.complaint, channel="sms")
    assert fallback.status == OutboxStatus.SENT
    assert fallback.recipient == "+6281268610005"
    assert fallback.case_event_id == message.case_event_id
    assert message.complaint.tracking_code in fallback.body
    [sent] = sms.seen(path="/sms/message")
    assert json.loads(sent.body)["phoneNumbers"] == ["+6281268610005"]
    assert message.data["fallback"] == {"outcome": "rerouted", "to": fallback.pk,
                                        "channel": "sms"}
    event = message.complaint.events.get(kind=EventKind.NOTIFICATION)
    assert not event.is_public and "SMS" in event.body


def test_undeliverable_number_falls_back_to_email_when_there_is_no_sms(
        office, wa_channel, meta, smtp, django_capture_on_commit_callbacks):
    meta.on("POST", "127.0.0.1", MESSAGES, meta_error(131026, title="Message undeliverable"))
    message = wa_receipt(office, wa_channel, email="rina@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_deliver(message.pk)
    fallback = OutboxMessage.objects.get(complaint=message.complaint, channel="email")
    assert fallback.status == OutboxStatus.SENT
    [mail] = smtp.messages
    assert mail["To"] == "rina@example.id"
    assert message.complaint.tracking_code in mail.get_content()


def test_unreachable_reporter_without_another_channel_alerts_the_officer(
        office, wa_channel, meta, officer, client):
    meta.on("POST", "127.0.0.1", MESSAGES, meta_error(131047))
    message = wa_receipt(office, wa_channel)
    services.outbox_deliver(message.pk)
    message.refresh_from_db()
    assert message.data["officer_alert"] is True
    assert OutboxMessage.objects.filter(complaint=message.complaint).count() == 1
    login_verified(client, officer)
    page = client.get(reverse("desk:complaint-detail", args=[message.complaint_id]))
    html = page.content.decode()
    assert 'id="outbox-alerts"' in html and "Hubungi pelapor dengan cara lain" in html
    assert "131047" in html


def test_failed_status_webhook_with_131047_reroutes_the_sent_message(
        office, wa_channel, meta, smtp, client, settings, django_capture_on_commit_callbacks):
    """The real path: Meta reports the failure later, in a signed status webhook."""
    from aduan.intake.tests.conftest import APP_SECRET, fixture_bytes, wa_sign

    settings.WHATSAPP_APP_SECRET = APP_SECRET
    meta.on("POST", "127.0.0.1", MESSAGES,
            Reply.json({"messages": [{"id": "wamid.SENT1"}]}))
    message = wa_receipt(office, wa_channel, email="rina@example.id")
    services.outbox_deliver(message.pk)
    payload = json.loads(fixture_bytes("whatsapp", "05_status_failed.json"))
    status = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
    status["id"] = "wamid.SENT1"
    status["errors"][0].update(code=131047, title="Re-engagement message")
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/intake/whatsapp/", data=body, content_type="application/json",
                               headers={"X-Hub-Signature-256": wa_sign(body)})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert OutboxMessage.objects.get(complaint=message.complaint, channel="email").status == (
        OutboxStatus.SENT)
    assert len(smtp.messages) == 1


def test_the_sample_failed_status_is_not_an_unreachable_code_and_alerts(office, wa_channel):
    message = wa_receipt(office, wa_channel, email="rina@example.id")
    OutboxMessage.objects.filter(pk=message.pk).update(status="sent",
                                                       provider_message_id="wamid.S")
    services.outbox_record_provider_status(provider_message_id="wamid.S", status="failed",
                                           error="130472 experiment", error_codes=[130472])
    message.refresh_from_db()
    assert message.data["officer_alert"] is True
    assert not OutboxMessage.objects.filter(channel="email").exists()


@pytest.mark.parametrize("code, status", [(131000, 400), (130429, 400), (4, 400), (1, 500)])
def test_transient_meta_errors_are_retried(office, wa_channel, meta, code, status):
    meta.on("POST", "127.0.0.1", MESSAGES, meta_error(code, status))
    message = wa_receipt(office, wa_channel)
    assert services.outbox_deliver(message.pk).outcome == "retry"
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "officer_alert" not in message.data


def test_permanent_meta_error_fails_at_once_and_alerts(office, wa_channel, meta):
    meta.on("POST", "127.0.0.1", MESSAGES, meta_error(132001, title="Template does not exist"))
    message = wa_receipt(office, wa_channel, email="rina@example.id")
    assert services.outbox_deliver(message.pk).outcome == "failed"
    message.refresh_from_db()
    assert message.attempts == 1
    # Not about reaching the reporter: an officer looks at it, no blind resend elsewhere.
    assert message.data["officer_alert"] is True
    assert not OutboxMessage.objects.filter(channel="email").exists()


@pytest.mark.parametrize("field, value", [
    ("subject", "Tanda terima\r\nBcc: semua@example.id"),
    ("subject", "Tanda terima\nX-Evil: 1"),
    ("recipient", "rina@example.id\r\nBcc: semua@example.id"),
])
def test_line_breaks_in_mail_headers_fail_at_once_without_retries(
        office, web_channel, smtp, field, value):
    complaint = register(office, web_channel, email="rina@example.id")
    message = OutboxMessage.objects.get(complaint=complaint)
    OutboxMessage.objects.filter(pk=message.pk).update(**{field: value})
    assert services.outbox_deliver(message.pk).outcome == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "CR/LF" in message.last_error
    assert smtp.messages == []


def test_bounce_of_our_mail_falls_back_to_whatsapp(
        office, web_channel, meta, smtp, django_capture_on_commit_callbacks):
    meta.on("POST", "127.0.0.1", MESSAGES, Reply.json({"messages": [{"id": "wamid.FB"}]}))
    settings_off = OutboxMessage.objects.count()
    complaint = register(office, web_channel, email="rina@example.id", phone="081268610005")
    email = OutboxMessage.objects.get(complaint=complaint, channel="email")
    # Only the mail was written at registration (say WhatsApp was switched on later).
    OutboxMessage.objects.filter(complaint=complaint, channel="whatsapp").delete()
    assert OutboxMessage.objects.count() == settings_off + 1
    services.outbox_deliver(email.pk)
    email.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_record_provider_status(
            provider_message_id=email.provider_message_id, status="failed",
            error="550 5.1.1 user unknown", unreachable=True)
    fallback = OutboxMessage.objects.get(complaint=complaint, channel="whatsapp")
    assert fallback.status == OutboxStatus.SENT
    assert fallback.provider_message_id == "wamid.FB"


def test_rerouting_twice_writes_one_fallback(office, wa_channel, sms):
    message = wa_receipt(office, wa_channel)
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed")
    assert outbox_reroute_or_alert(message.pk, error="131047", unreachable=True) == "rerouted"
    assert outbox_reroute_or_alert(message.pk, error="131047", unreachable=True) == ""
    assert OutboxMessage.objects.filter(complaint=message.complaint).count() == 2


def test_a_reporter_already_reached_on_the_other_channel_needs_nothing(
        office, web_channel, meta):
    complaint = register(office, web_channel, email="rina@example.id", phone="081268610005")
    rows = {m.channel: m for m in OutboxMessage.objects.filter(complaint=complaint)}
    assert set(rows) == {"email", "whatsapp"}
    OutboxMessage.objects.filter(pk=rows["whatsapp"].pk).update(status="failed")
    OutboxMessage.objects.filter(pk=rows["email"].pk).update(status="sent")
    assert outbox_reroute_or_alert(rows["whatsapp"].pk, error="131026",
                                   unreachable=True) == "reached"
    assert OutboxMessage.objects.filter(complaint=complaint).count() == 2
    assert not complaint.events.filter(kind=EventKind.NOTIFICATION).exists()
