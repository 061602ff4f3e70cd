"""WhatsApp Business Cloud API (Meta Graph API): free text inside the 24-hour customer-service
window, an approved template message outside it."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import (
    PermanentSendError,
    TransientSendError,
    outbox_idempotency_key,
)
from aduan.notifications.senders.http import post_json

SERVICE_WINDOW = dt.timedelta(hours=24)
MAX_TEXT = 4096
MAX_TEMPLATE_PARAM = 1000


def last_inbound_at(message: OutboxMessage) -> dt.datetime | None:
    """When the reporter last wrote to us on this case: their latest `message_in` event, or
    the complaint itself when it arrived by WhatsApp."""
    from aduan.complaints.models import CaseEvent, EventKind
    from aduan.offices.models import ChannelKind

    if message.complaint_id is None:
        return None
    kinds = [EventKind.MESSAGE_IN]
    if message.complaint.channel.kind == ChannelKind.WHATSAPP:
        kinds.append(EventKind.RECEIVED)
    return (
        CaseEvent.objects.filter(complaint_id=message.complaint_id, kind__in=kinds)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def in_service_window(message: OutboxMessage, *, now: dt.datetime | None = None) -> bool:
    last = last_inbound_at(message)
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
        if not (settings.WHATSAPP_ACCESS_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID):
            raise PermanentSendError(
                "WhatsApp belum dikonfigurasi (WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID)."
            )
        url = f"{settings.WHATSAPP_GRAPH_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        response = post_json(
            url,
            json=build_payload(message),
            provider="WhatsApp",
            headers={"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"},
        )
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            # Accepted (2xx) but unreadable: retrying could duplicate; keep it traceable.
            raise TransientSendError(
                f"WhatsApp: jawaban tidak dikenal: {response.text[:200]}"
            ) from exc
