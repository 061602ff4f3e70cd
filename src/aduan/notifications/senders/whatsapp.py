"""WhatsApp Business Cloud API (Meta Graph API): free text inside the 24-hour customer-service
window, an approved template message outside it."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import (
    PermanentSendError,
    TransientSendError,
    UnreachableSendError,
    outbox_idempotency_key,
    sends_as,
)
from aduan.notifications.senders.http import error_detail, timeout

if TYPE_CHECKING:  # httpx loads in the sending worker only
    import httpx

SERVICE_WINDOW = dt.timedelta(hours=24)
MAX_TEXT = 4096
MAX_TEMPLATE_PARAM = 1000

# Meta's Cloud API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/
# error-codes). Worth retrying: throttling, Meta's own failures and maintenance.
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 131057,
                             133004})
# WhatsApp cannot reach this person now: 131047 re-engagement (more than 24 hours since their
# last message), 131026 undeliverable (no WhatsApp on the number, old app, terms not
# accepted), 131049 held back by Meta for engagement. Another channel may reach them.
UNREACHABLE_CODES = frozenset({131026, 131047, 131049})


def error_code(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def codes_are_unreachable(codes: object) -> bool:
    """Whether Meta's error codes (from a send answer or a failed status) say WhatsApp cannot
    reach the recipient."""
    if not isinstance(codes, list | tuple | set | frozenset):
        return False
    return any(error_code(c) in UNREACHABLE_CODES for c in codes)


def _raise_for(response: httpx.Response) -> None:
    """Classify an error answer of the messages endpoint by Meta's error code."""
    code = None
    try:
        error = response.json().get("error") or {}
        code = error_code(error.get("code")) if isinstance(error, dict) else None
    except (ValueError, AttributeError):
        pass
    text = f"WhatsApp HTTP {response.status_code}: {error_detail(response)}"
    if code is not None:
        text = f"WhatsApp {code} (HTTP {response.status_code}): {error_detail(response)}"
    if code in UNREACHABLE_CODES:
        raise UnreachableSendError(text)
    if code in TRANSIENT_CODES or response.status_code == 429 or response.status_code >= 500:
        raise TransientSendError(text)
    raise PermanentSendError(text)


def phone_number_id(message: OutboxMessage) -> str:
    """The WhatsApp number the message goes out from: the office's own (Channel.sends_as),
    else the central intake's, else WHATSAPP_PHONE_NUMBER_ID."""
    return sends_as(message) or settings.WHATSAPP_PHONE_NUMBER_ID


def last_inbound_at(message: OutboxMessage, *, number: str = "") -> dt.datetime | None:
    """When the reporter last wrote to us on this case: their latest `message_in` event, or
    the complaint itself when it arrived by WhatsApp. With `number` (a phone_number_id), only
    what they wrote to that number counts: the 24-hour window is per business number, and a
    case forwarded to an office with its own number has no window there yet. A message whose
    number was not recorded counts (it came before offices had their own numbers)."""
    from aduan.complaints.models import CaseEvent, EventKind
    from aduan.intake.models import InboundMessage
    from aduan.offices.models import ChannelKind

    if message.complaint_id is None:
        return None
    kinds = [EventKind.MESSAGE_IN]
    if message.complaint.channel.kind == ChannelKind.WHATSAPP:
        kinds.append(EventKind.RECEIVED)
    events = (CaseEvent.objects.filter(complaint_id=message.complaint_id, kind__in=kinds)
              .order_by("-created_at", "-id").values_list("created_at", "data"))
    if not number:
        first = events.first()
        return first[0] if first is not None else None
    recent = list(events[:20])
    inbound_ids = [data["inbound_id"] for _at, data in recent
                   if isinstance(data, dict) and isinstance(data.get("inbound_id"), int)]
    numbers = {pk: (data or {}).get("phone_number_id", "") for pk, data in
               InboundMessage.objects.filter(pk__in=inbound_ids).values_list("pk", "data")}
    for at, data in recent:
        inbound_id = data.get("inbound_id") if isinstance(data, dict) else None
        to = str(numbers.get(inbound_id, "") or "") if isinstance(inbound_id, int) else ""
        if not to or to == number:
            return at
    return None


def in_service_window(message: OutboxMessage, *, now: dt.datetime | None = None) -> bool:
    # Only an office's own number narrows the window to what was written to it; the
    # instance's number keeps counting every message on the case, as before offices had
    # their own.
    last = last_inbound_at(message, number=sends_as(message))
    return last is not None and (now or timezone.now()) - last < SERVICE_WINDOW


def _template_param(text: str) -> str:
    # Template parameters may not contain new lines, tabs or more than 4 consecutive spaces.
    return re.sub(r"\s+", " ", text).strip()[:MAX_TEMPLATE_PARAM] or "-"


def build_payload(message: OutboxMessage, *, now: dt.datetime | None = None) -> dict:
    payload: dict = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.recipient.lstrip("+"),
        # Echoed back in status webhooks: ties a delivery report (or a duplicate) to our row.
        "biz_opaque_callback_data": outbox_idempotency_key(message),
    }
    if in_service_window(message, now=now):
        payload.update(type="text", text={"preview_url": False, "body": message.body[:MAX_TEXT]})
    else:
        register_number = message.data.get("register_number", "") or "-"
        payload.update(
            type="template",
            template={
                "name": settings.WHATSAPP_TEMPLATE_NAME,
                "language": {"code": settings.WHATSAPP_TEMPLATE_LANGUAGE},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": _template_param(register_number)},
                            {"type": "text", "text": _template_param(message.body)},
                        ],
                    }
                ],
            },
        )
    return payload


class WhatsAppSender:
    def send(self, message: OutboxMessage) -> str:
        import httpx  # here, not at import: web workers never load it

        number = phone_number_id(message)
        if not (settings.WHATSAPP_ACCESS_TOKEN and number):
            raise PermanentSendError(
                "WhatsApp belum dikonfigurasi (WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID)."
            )
        if not number.isdigit():
            raise PermanentSendError(f"phone_number_id WhatsApp tidak sah: {number[:40]!r}")
        url = f"{settings.WHATSAPP_GRAPH_URL.rstrip('/')}/{number}/messages"
        try:
            response = httpx.post(
                url,
                json=build_payload(message),
                timeout=timeout(),
                follow_redirects=False,
                headers={"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"},
            )
        except httpx.HTTPError as exc:
            raise TransientSendError(f"WhatsApp tidak dapat dihubungi: {exc}") from exc
        if response.status_code >= 300:
            _raise_for(response)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            # Accepted (2xx) but unreadable: retrying could duplicate; keep it traceable.
            raise TransientSendError(
                f"WhatsApp: jawaban tidak dikenal: {response.text[:200]}"
            ) from exc
