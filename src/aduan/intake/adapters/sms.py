"""SMS in: the open-source SMS Gateway for Android (capcom6/android-sms-gateway, sms-gate.app)
webhook, and a generic webhook for any other gateway.

SMS Gateway for Android posts JSON
`{"deviceId", "event": "sms:received", "id", "webhookId",
  "payload": {"messageId", "message", "phoneNumber", "simNumber", "receivedAt"}}`
signed with `X-Signature: hex(HMAC-SHA256(signing key, raw body + X-Timestamp))` and
`X-Timestamp: <unix seconds>`. The envelope `id` is unique per event; `messageId` is derived
from the content and is not unique, so idempotency uses the envelope id.

The generic webhook takes form or JSON fields `from`, `text`, `id` and the shared secret
(`secret` field or `X-Webhook-Secret` header).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from aduan.intake.models import InboundMessage
from aduan.intake.services import Incoming
from aduan.offices.models import ChannelKind

PROVIDER_SMSGATE = "sms-gate"
PROVIDER_GENERIC = "generic"
# Signed requests older or newer than this are refused (replay protection, as the gateway's
# documentation recommends).
TIMESTAMP_TOLERANCE = 5 * 60
STATUS_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


def smsgate_signature_is_valid(body: bytes, timestamp: str, signature: str, *,
                               now: float | None = None) -> bool:
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret or not timestamp or not signature:
        return False
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    if age > TIMESTAMP_TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def generic_secret_is_valid(given: str) -> bool:
    secret = settings.SMS_WEBHOOK_SECRET
    return bool(secret) and bool(given) and hmac.compare_digest(given, secret)


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def parse_smsgate(body: bytes, headers: dict[str, str]) -> Incoming:
    try:
        envelope = json.loads(body)
        event = envelope["event"]
        payload = envelope.get("payload") or {}
        if not isinstance(payload, dict):
            raise TypeError("payload is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        return Incoming(channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=body,
                        headers=headers,
                        error=_("Payload SMS tidak dapat dibaca: %(error)s")
                        % {"error": str(exc)[:200]})
    event_id = str(envelope.get("id") or "")
    phone = str(payload.get("phoneNumber") or "")
    if event == "sms:received":
        return Incoming(
            channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=body, headers=headers,
            provider_message_id=event_id, sender=phone, body=str(payload.get("message") or ""),
            received_at=_when(payload.get("receivedAt")),
            data={"kind": "message", "device_id": envelope.get("deviceId", ""),
                  "message_id": payload.get("messageId", ""),
                  "sim_number": payload.get("simNumber")})
    if event in STATUS_EVENTS:
        return Incoming(
            channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=body, headers=headers,
            provider_message_id=event_id, sender=phone,
            data={"kind": "status", "status": STATUS_EVENTS[event],
                  "outbound_id": str(payload.get("messageId") or ""),
                  "error": str(payload.get("reason") or "")})
    return Incoming(channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=body,
                    headers=headers, provider_message_id=event_id,
                    data={"kind": "message", "event": str(event),
                          "skip_reason": _("Peristiwa gateway SMS yang tidak kami pakai: "
                                           "%(event)s") % {"event": event}})


def parse_generic(body: bytes, fields: dict[str, str], headers: dict[str, str]) -> Incoming:
    sender = (fields.get("from") or fields.get("phone") or "").strip()
    text = fields.get("text") or fields.get("message") or ""
    error = "" if sender else _("Nomor pengirim (from) tidak ada.")
    return Incoming(channel_kind=ChannelKind.SMS, provider=PROVIDER_GENERIC, raw=body,
                    headers=headers, provider_message_id=(fields.get("id") or "").strip(),
                    sender=sender, body=text, data={"kind": "message"}, error=error)


def record_status(message: InboundMessage) -> str:
    from aduan.intake.adapters.whatsapp import record_outbound_status

    return record_outbound_status(
        provider_message_id=message.data.get("outbound_id", ""),
        status=message.data.get("status", ""), error=message.data.get("error", ""),
        at=message.received_at)
