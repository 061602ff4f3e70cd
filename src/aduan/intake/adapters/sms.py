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
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from aduan.intake.models import InboundMessage
from aduan.intake.services import Incoming, RawItem, item_key
from aduan.offices.models import ChannelKind
from aduan.offices.selectors import device_address

PROVIDER_SMSGATE = "sms-gate"
PROVIDER_GENERIC = "generic"
# Signed requests older or newer than this are refused (replay protection, as the gateway's
# documentation recommends).
TIMESTAMP_TOLERANCE = 5 * 60
# A concatenated SMS has at most this many parts (GSM allows 255).
MAX_CONCAT_PARTS = 255
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"{type(value).__name__} where a string is expected")


def split_smsgate(body: bytes, headers: dict[str, str]) -> RawItem:
    """One gateway event is one item; its envelope `id` is the idempotency key. Not read
    here: `parse_smsgate` reads it after it is stored."""
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        envelope = None
    event_id = envelope.get("id") if isinstance(envelope, dict) else None
    key = event_id.strip()[:200] if isinstance(event_id, str) and event_id.strip() else ""
    # The gateway names no receiving number, only its device: the office whose SMS channel
    # sends as that device (Channel.sends_as) is the office it was sent to (issue 18).
    device = envelope.get("deviceId") if isinstance(envelope, dict) else None
    address = device_address(device[:100]) if isinstance(device, str) else ""
    return RawItem(channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=body,
                   provider_message_id=key or item_key(body), headers=headers,
                   addresses=(address,) if address else ())


def parse_smsgate(message: InboundMessage) -> Incoming:
    envelope = json.loads(bytes(message.raw))
    if not isinstance(envelope, dict) or not isinstance(envelope.get("event"), str):
        raise TypeError("not a gateway event (no event name)")
    event = envelope["event"]
    payload = envelope.get("payload")
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise TypeError("payload is not an object")
    event_id = _text(envelope.get("id"))
    phone = _text(payload.get("phoneNumber"))
    if event == "sms:received":
        return Incoming(
            channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=b"",
            provider_message_id=event_id, sender=phone, body=_text(payload.get("message")),
            provider_sent_at=_when(payload.get("receivedAt")),
            data={"kind": "message", "device_id": _text(envelope.get("deviceId")),
                  "message_id": _text(payload.get("messageId")),
                  "sim_number": payload.get("simNumber")
                  if isinstance(payload.get("simNumber"), int) else None})
    if event in STATUS_EVENTS:
        return Incoming(
            channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=b"",
            provider_message_id=event_id, sender=phone,
            data={"kind": "status", "status": STATUS_EVENTS[event],
                  "outbound_id": _text(payload.get("messageId")),
                  "error": _text(payload.get("reason"))})
    return Incoming(channel_kind=ChannelKind.SMS, provider=PROVIDER_SMSGATE, raw=b"",
                    provider_message_id=event_id,
                    data={"kind": "message", "event": event[:100],
                          "skip_reason": _("Peristiwa gateway SMS yang tidak kami pakai: "
                                           "%(event)s") % {"event": event[:100]}})


# Fields a gateway may name the secret with; none of them is ever stored.
SECRET_FIELDS = ("secret", "token", "key", "signature")


def split_generic(pairs: list[tuple[str, Any]], *, is_json: bool,
                  headers: dict[str, str]) -> tuple[RawItem, str]:
    """The generic webhook's item to store, and the secret it carried in a field. The stored
    raw payload is the fields re-encoded without any secret-like field (a secret with
    `+ / = &` is percent-encoded in a form body, so blanking its text in the bytes would
    miss it)."""
    given = next((str(v) for k, v in pairs if k == "secret" and v is not None), "")
    kept = [(k, v) for k, v in pairs if k.lower() not in SECRET_FIELDS]
    if is_json:
        raw = json.dumps(dict(kept), ensure_ascii=False).encode()
        stored_type = "application/json"
    else:
        raw = urlencode(kept).encode()
        stored_type = "application/x-www-form-urlencoded"
    to = dict(kept).get("to")
    key = dict(kept).get("id")
    key = key.strip()[:200] if isinstance(key, str) else str(key) if isinstance(key, int) else ""
    return RawItem(channel_kind=ChannelKind.SMS, provider=PROVIDER_GENERIC, raw=raw,
                   provider_message_id=key, headers={**headers, "Content-Type": stored_type},
                   addresses=(str(to)[:50],) if isinstance(to, str | int) and to != "" else ()
                   ), given


def _concat(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The concatenated-SMS reference of a part: `concat-ref`/`concat-part`/`concat-total`
    (Vonage style, `_` accepted too) or a `udh` in hex (Kannel: 05 00 03 ref total part, or
    06 08 04 ref ref total part). None for a single SMS."""
    def field(name: str) -> Any:
        return fields.get(f"concat-{name}", fields.get(f"concat_{name}"))

    ref, part, total = field("ref"), field("part"), field("total")
    if ref is None and fields.get("udh"):
        udh = bytes.fromhex(_text(fields["udh"]).replace(" ", ""))
        if len(udh) >= 6 and udh[1] == 0x00 and udh[2] == 0x03:
            ref, total, part = udh[3], udh[4], udh[5]
        elif len(udh) >= 7 and udh[1] == 0x08 and udh[2] == 0x04:
            ref, total, part = udh[3] << 8 | udh[4], udh[5], udh[6]
        else:
            return None
    if ref is None:
        return None
    total, part = int(_text(total)), int(_text(part))
    if not (1 <= part <= total <= MAX_CONCAT_PARTS):
        raise ValueError(f"concatenated SMS part {part} of {total}")
    if total == 1:
        return None
    return {"ref": _text(ref)[:50], "part": part, "total": total}


def parse_generic(message: InboundMessage) -> Incoming:
    raw = bytes(message.raw)
    if message.headers.get("Content-Type") == "application/json":
        fields = json.loads(raw)
        if not isinstance(fields, dict):
            raise TypeError("not a JSON object")
    else:
        fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    sender = _text(fields.get("from") or fields.get("phone")).strip()
    text = _text(fields.get("text") or fields.get("message"))
    data: dict[str, Any] = {"kind": "message"}
    concat = _concat(fields)
    if concat:
        data["concat"] = concat
    error = "" if sender else _("Nomor pengirim (from) tidak ada.")
    return Incoming(channel_kind=ChannelKind.SMS, provider=PROVIDER_GENERIC, raw=b"",
                    provider_message_id=_text(fields.get("id")).strip(),
                    sender=sender, body=text, data=data, error=error)


def record_status(message: InboundMessage) -> str:
    from aduan.intake.adapters.whatsapp import record_outbound_status

    return record_outbound_status(
        provider_message_id=message.data.get("outbound_id", ""),
        status=message.data.get("status", ""), error=message.data.get("error", ""),
        at=message.received_at,
        # A text message the network could not deliver: the number cannot be reached by SMS.
        unreachable=message.data.get("status", "") == "failed")
