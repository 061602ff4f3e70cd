"""SMS through a pluggable gateway. Built in: the open-source "SMS Gateway for Android"
(sms-gate.app, capcom6/android-sms-gateway), local server on the office phone or its cloud
server: `POST {SMS_GATEWAY_URL}/message` with basic auth and
`{"id", "textMessage": {"text"}, "phoneNumbers": [...]}`; answers 202 with the message id."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from aduan.notifications.models import OutboxMessage
from aduan.notifications.senders import (
    PermanentSendError,
    outbox_idempotency_key,
    sends_as,
)
from aduan.notifications.senders.http import post_json

MAX_SMS_TEXT = 1530  # 10 concatenated GSM-7 parts; longer texts are cut


class SmsGateway(Protocol):
    """Another provider plugs in by implementing this and naming it in SMS_GATEWAY_BACKEND.
    `device_id` (the office's own sending device, Channel.sends_as) is passed only when there
    is one, so a gateway written before offices had their own keeps working."""

    def send(self, *, to: str, text: str, message_id: str, device_id: str = "") -> str: ...


class AndroidSmsGateway:
    def __init__(self) -> None:
        if not (
            settings.SMS_GATEWAY_URL
            and settings.SMS_GATEWAY_USERNAME
            and settings.SMS_GATEWAY_PASSWORD
        ):
            raise PermanentSendError(
                "Gateway SMS belum dikonfigurasi (SMS_GATEWAY_URL, "
                "SMS_GATEWAY_USERNAME, SMS_GATEWAY_PASSWORD)."
            )
        self.url = settings.SMS_GATEWAY_URL.rstrip("/") + "/message"
        self.auth = (settings.SMS_GATEWAY_USERNAME, settings.SMS_GATEWAY_PASSWORD)

    def send(self, *, to: str, text: str, message_id: str, device_id: str = "") -> str:
        # `id` is the gateway's message id: given by us, a resend after a crash is the same
        # message to the gateway and stays traceable to our outbox row.
        body: dict = {"id": message_id, "textMessage": {"text": text}, "phoneNumbers": [to]}
        if device_id:
            # The office's own phone (cloud server with several devices): it sends from the
            # number the reporter knows as the office's.
            body["deviceId"] = device_id
        try:
            response = post_json(self.url, json=body, provider="Gateway SMS", auth=self.auth)
        except PermanentSendError as exc:
            if " 409" in exc.message:  # already accepted under our id
                return message_id
            raise
        try:
            return str(response.json().get("id") or message_id)
        except ValueError:
            return message_id


def gateway() -> SmsGateway:
    path = getattr(
        settings, "SMS_GATEWAY_BACKEND", "aduan.notifications.senders.sms.AndroidSmsGateway"
    )
    return import_string(path)()  # type: ignore[no-any-return]


class SmsSender:
    def send(self, message: OutboxMessage) -> str:
        text = message.body[:MAX_SMS_TEXT]
        if not text:
            raise PermanentSendError("SMS kosong")
        extra = {"device_id": device} if (device := sends_as(message)) else {}
        return gateway().send(
            to=message.recipient, text=text, message_id=outbox_idempotency_key(message), **extra
        )
