"""A real SMTP server for tests (aiosmtpd), optionally slow, recording what it accepted."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RecordingHandler:
    """Accepts every message; `delay` seconds before answering 250 makes a slow provider."""

    def __init__(
        self, *, delay: float = 0.0, refuse: tuple[str, ...] = (), accept_before_reply: bool = False
    ) -> None:
        self.delay = delay
        # Like a mail server that has queued the message but is slow to say 250: a client
        # that dies meanwhile has had its message accepted without knowing it.
        self.accept_before_reply = accept_before_reply
        self.refuse = refuse
        self.messages: list[EmailMessage] = []
        self.last_data_at = 0.0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.last_data_at = time.monotonic()
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self.accept_before_reply:
            self._record(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.accept_before_reply:
            self._record(message)
        return "250 Message accepted for delivery"

    def _record(self, message) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.messages.append(message)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


class SmtpServer:
    def __init__(self, handler: RecordingHandler) -> None:
        self.handler = handler
        self.port = free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
