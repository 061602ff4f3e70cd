"""Channel senders: each turns an OutboxMessage into one provider call.

A sender returns the provider's message id, or raises `TransientSendError` (retried with
backoff), `PermanentSendError` (marked failed at once: bad address or header, channel not
configured) or `UnreachableSendError` (failed at once; the reporter's other channel is tried).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from aduan.notifications.models import OutboxMessage


class SendError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class TransientSendError(SendError):
    """The provider may accept the message later (network, timeout, 5xx, rate limit)."""


class PermanentSendError(SendError):
    """Retrying cannot help (rejected recipient, channel not configured, 4xx)."""


class UnreachableSendError(PermanentSendError):
    """This channel cannot reach the recipient (WhatsApp 131047: outside the 24-hour window;
    131026: not a WhatsApp number); another of the reporter's channels may."""


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> str: ...


def outbox_idempotency_key(message: OutboxMessage) -> str:
    """Our id as given to providers, so a duplicate after a crash is traceable to its row."""
    return f"outbox-{message.pk}"


def sends_as(message: OutboxMessage) -> str:
    """The outbound identity of the message's channel (issue 18): for a message written with
    `data["from_office"]` (messages to a case's reporter), that office's own channel of the
    kind, else the central intake's (offices.selectors.channel_sends_as); "" for the
    instance's settings (WHATSAPP_PHONE_NUMBER_ID, DEFAULT_FROM_EMAIL, the SMS gateway's own
    choice of device)."""
    from aduan.offices.selectors import channel_sends_as

    office_id = message.data.get("from_office") if isinstance(message.data, dict) else None
    if not isinstance(office_id, int) or isinstance(office_id, bool):
        return ""
    return channel_sends_as(office_id, message.channel)


def sender_for(channel: str) -> Sender:
    from aduan.notifications.senders.email import EmailSender
    from aduan.notifications.senders.sms import SmsSender
    from aduan.notifications.senders.whatsapp import WhatsAppSender

    senders: dict[str, type[Sender]] = {
        "email": EmailSender,
        "whatsapp": WhatsAppSender,
        "sms": SmsSender,
    }
    try:
        return senders[channel]()
    except KeyError:
        raise PermanentSendError(f"unknown channel {channel!r}") from None
