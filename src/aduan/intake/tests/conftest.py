"""Fixtures of the inbound channel tests: captured payloads and channel secrets."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
APP_SECRET = "test-app-secret"  # the secret the sample signatures were computed with
SMS_SECRET = "sms-signing-key-for-tests"


def fixture_bytes(channel: str, name: str) -> bytes:
    return (FIXTURES / channel / name).read_bytes()


def wa_sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Processing runs inline in these tests whatever TASK_BACKEND the run uses (the RQ run
    of CI included); test_worker.py checks the database backend and its worker."""
    settings.TASKS = IMMEDIATE_TASKS
    return settings


@pytest.fixture
def channel_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    settings.WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
    settings.SMS_WEBHOOK_SECRET = SMS_SECRET
    return settings


@pytest.fixture(scope="session")
def dovecot():
    """A real IMAP server (Debian dovecot) on the first free port of 127.0.0.1:10143-10199,
    private to this test process (parallel workers and parallel runs each get their own)."""
    import os
    import shutil
    import socket
    import tempfile

    from aduan.intake.testing.dovecot import DovecotServer

    errors = []
    for port in range(10143, 10200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        # Under the system's temporary directory, not var/: as root, dovecot's mail processes
        # run as `nobody`, which must traverse every parent directory, and a checkout may sit
        # in a private one (mktemp -d makes 0700 directories).
        root = Path(tempfile.gettempdir()) / f"aduan-dovecot-intake-{os.getpid()}-{port}"
        try:
            server = DovecotServer(root, port).start()
        except RuntimeError as exc:  # another process took the port meanwhile
            errors.append(str(exc))
            DovecotServer(root, port).stop()
            continue
        yield server
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        return
    raise RuntimeError("no IMAP port free in 10143-10199: " + "; ".join(errors[-3:]))


@pytest.fixture
def mailbox(dovecot):
    """A fresh mailbox (a new user name) on the test IMAP server, with an APPEND helper."""
    import imaplib
    import uuid

    from aduan.intake.testing.dovecot import PASSWORD

    class Mailbox:
        host = "127.0.0.1"
        port = dovecot.port
        user = f"pengaduan-{uuid.uuid4().hex[:10]}"
        password = PASSWORD

        def append(self, raw: bytes) -> None:
            client = imaplib.IMAP4(self.host, self.port, timeout=30)
            try:
                client.login(self.user, self.password)
                typ, data = client.append("INBOX", None, None, raw)
                assert typ == "OK", data
            finally:
                client.logout()

        def unseen(self) -> int:
            client = imaplib.IMAP4(self.host, self.port, timeout=30)
            try:
                client.login(self.user, self.password)
                client.select("INBOX")
                _typ, data = client.uid("SEARCH", None, "UNSEEN")
                return len(data[0].split())
            finally:
                client.logout()

        def poll(self):
            from aduan.intake.adapters.email_imap import poll_mailbox

            return poll_mailbox(host=self.host, port=self.port, user=self.user,
                                password=self.password, use_ssl=False, folder="INBOX")

    return Mailbox()


from aduan.intake.testing.graph import graph, graph_server  # noqa: E402, F401 (fixtures)
