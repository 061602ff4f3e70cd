"""SMS: the SMS Gateway for Android webhook (signed) and the generic inbound webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest

from aduan.complaints.models import Complaint, EventKind
from aduan.intake.models import Conversation, InboundMessage, ParseStatus
from aduan.intake.tests.conftest import SMS_SECRET, fixture_bytes

SMSGATE = "/intake/sms/sms-gate/"
GENERIC = "/intake/sms/"


def signed(body: bytes, *, secret: str = SMS_SECRET, at: int | None = None) -> dict[str, str]:
    timestamp = str(at if at is not None else int(time.time()))
    signature = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": signature, "X-Timestamp": timestamp}


def event(message: str, event_id: str, phone: str = "+6281312345678",
          kind: str = "sms:received") -> bytes:
    payload = json.loads(fixture_bytes("sms", "sms_received.json"))
    payload.update({"id": event_id, "event": kind})
    payload["payload"].update({"message": message, "phoneNumber": phone})
    return json.dumps(payload).encode()


@pytest.mark.django_db
def test_signed_sms_received_becomes_a_structured_complaint(client, office, channel_settings):
    body = fixture_bytes("sms", "sms_received.json")
    for _ in range(3):
        response = client.post(SMSGATE, data=body, content_type="application/json",
                               headers=signed(body))
        assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.channel_kind, message.provider_message_id) == ("sms", "Ey6ECgOkVVFjz3CL48B8C")
    complaint = Complaint.objects.get()
    assert complaint.reporter.name == "Rina"
    assert complaint.reporter.phone == "+6281312345678"
    assert complaint.company_name == "Apotek Sehat"
    assert complaint.service_type.code == "apotek"
    assert complaint.description == "Izin apotek kami belum terbit, sudah 3 minggu"
    # The demo office has one "SMS / WA" channel; SMS falls back to it.
    assert complaint.channel.code == "sms_wa"
    assert Conversation.objects.get().channel_kind == "sms"


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [
    {},
    {"X-Signature": "0" * 64, "X-Timestamp": str(int(time.time()))},
    "wrong-secret",
    "stale",
])
def test_unsigned_forged_or_replayed_sms_is_refused(client, office, channel_settings, headers):
    body = fixture_bytes("sms", "sms_received.json")
    if headers == "wrong-secret":
        headers = signed(body, secret="not-the-key")
    elif headers == "stale":
        headers = signed(body, at=int(time.time()) - 3600)
    response = client.post(SMSGATE, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_later_sms_joins_and_delivery_reports_are_not_cases(client, office, channel_settings):
    for event_id, text in (("e1", "Izin PBG saya belum terbit"), ("e2", "Nomor: PBG-77")):
        body = event(text, event_id, phone="081312345678")
        assert client.post(SMSGATE, data=body, content_type="application/json",
                           headers=signed(body)).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.events.get(kind=EventKind.MESSAGE_IN).body == "Nomor: PBG-77"
    report = event("", "e3", kind="sms:delivered")
    assert client.post(SMSGATE, data=report, content_type="application/json",
                       headers=signed(report)).status_code == 200
    ping = event("", "e4", kind="system:ping")
    assert client.post(SMSGATE, data=ping, content_type="application/json",
                       headers=signed(ping)).status_code == 200
    assert InboundMessage.objects.get(provider_message_id="e3").parse_status == (
        ParseStatus.PROVIDER_STATUS)
    assert InboundMessage.objects.get(provider_message_id="e4").parse_status == (
        ParseStatus.IGNORED)
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_generic_webhook_accepts_form_and_json(client, office, channel_settings):
    form = client.post(GENERIC, {"from": "0812-1111-2222", "text": "Halo, OSS error",
                                 "id": "g1", "secret": SMS_SECRET})
    assert form.status_code == 200
    as_json = client.post(GENERIC, data=json.dumps({"from": "+6281311112222",
                                                    "text": "Izin usaha?", "id": "g2"}),
                          content_type="application/json",
                          headers={"X-Webhook-Secret": SMS_SECRET})
    assert as_json.status_code == 200
    assert Complaint.objects.count() == 2
    stored = InboundMessage.objects.get(provider_message_id="g1")
    assert SMS_SECRET.encode() not in bytes(stored.raw)
    assert stored.sender == "+6281211112222"
    # Redelivery by id is idempotent.
    client.post(GENERIC, {"from": "0812-1111-2222", "text": "Halo, OSS error", "id": "g1",
                          "secret": SMS_SECRET})
    assert InboundMessage.objects.filter(provider_message_id="g1").count() == 1


@pytest.mark.django_db
def test_generic_webhook_refuses_a_wrong_secret_and_keeps_bad_input(client, office,
                                                                    channel_settings):
    assert client.post(GENERIC, {"from": "0812", "text": "x", "secret": "nope"}
                       ).status_code == 403
    assert client.post(GENERIC, {"from": "0812", "text": "x"}).status_code == 403
    assert client.post(GENERIC, data="[1]", content_type="application/json",
                       headers={"X-Webhook-Secret": SMS_SECRET}).status_code == 400
    channel_settings.SMS_WEBHOOK_SECRET = ""
    assert client.post(GENERIC, {"from": "0812", "text": "x", "secret": ""}).status_code == 403
    channel_settings.SMS_WEBHOOK_SECRET = SMS_SECRET
    missing = client.post(GENERIC, {"text": "tanpa nomor", "secret": SMS_SECRET})
    assert missing.status_code == 200
    kept = InboundMessage.objects.get()
    assert kept.parse_status == ParseStatus.QUARANTINED
    assert kept.error == "Nomor pengirim (from) tidak ada."
    assert b"tanpa+nomor" in bytes(kept.raw)


@pytest.mark.django_db(transaction=True)
def test_live_server_receives_the_gateway_webhook_over_http(live_server, office,
                                                            channel_settings):
    body = fixture_bytes("sms", "sms_received.json")
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        assert http.post(SMSGATE, content=body, headers={
            "Content-Type": "application/json", **signed(body)}).status_code == 200
        assert http.post(SMSGATE, content=body, headers={
            "Content-Type": "application/json",
            **signed(body, secret="forged")}).status_code == 403
        assert http.post(GENERIC, data={"from": "081322223333", "text": "Tanya SIP",
                                        "id": "live-1", "secret": SMS_SECRET}
                         ).status_code == 200
    assert Complaint.objects.count() == 2
