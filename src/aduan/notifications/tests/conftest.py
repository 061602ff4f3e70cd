from __future__ import annotations

import pytest

from aduan.notifications.tests.smtp import RecordingHandler, SmtpServer


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Unit tests deliver in-process even when the suite runs with TASK_BACKEND=rq; the
    worker tests set their own backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def smtp(settings):
    """A real SMTP server; Django's SMTP backend pointed at it."""
    with SmtpServer(RecordingHandler()) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield server.handler


@pytest.fixture
def web_channel(office):
    return office.channels.get(code="website")


@pytest.fixture
def wa_channel(office):
    return office.channels.get(code="sms_wa")


from aduan.intake.testing.graph import graph, graph_server  # noqa: E402, F401 (fixtures)
