"""Acceptance: delivery by real worker processes (database and RQ backends), and a worker
killed with SIGKILL in the middle of a batch, restarted: every message delivered, none lost,
a duplicate only for the message in flight at the kill, traceable by its outbox id.

Waits have generous limits because worker start-up is slow on a loaded machine; they are
functional waits, not performance assertions."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
import uuid
from collections import Counter
from urllib.parse import urlparse

import pytest
from django_tasks_db.models import DBTaskResult

from aduan.notifications.models import OutboxMessage, OutboxStatus
from aduan.notifications.tasks import sweep_outbox
from aduan.notifications.tests.factories import register
from aduan.notifications.tests.smtp import RecordingHandler, SmtpServer, free_port
from aduan.notifications.tests.workers import process, redis_reachable, wait_for, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# System checks are skipped only to start faster on a loaded CI machine.
WORKER = ["db_worker", "--interval", "0.2", "--no-startup-delay", "--skip-checks"]
DELIVER = "aduan.notifications.tasks.deliver_outbox_message"
DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend", "QUEUES": ["default"]}}

# Generous: the worker also runs each new case's suggestions, and loads the triage model once
# per process (seconds on a loaded machine); the wait ends as soon as the messages are sent.
DELIVERY_WAIT = 120


def _statuses() -> Counter:
    return Counter(OutboxMessage.objects.values_list("status", flat=True))


def _register_batch(office, n: int) -> list[int]:
    channel = office.channels.get(code="website")
    for i in range(n):
        register(office, channel, email=f"pelapor{i}@example.id", name=f"Pelapor {i}")
    return list(OutboxMessage.objects.order_by("pk").values_list("pk", flat=True))


def _message_id(pk: int) -> str:
    """The row's random Message-ID, stored on it before its first SMTP call."""
    message_id = OutboxMessage.objects.get(pk=pk).provider_message_id
    assert message_id.startswith("<") and message_id.endswith("@aduan.localhost>")
    return message_id


def test_database_backend_worker_process_delivers_every_message(office, settings, tmp_path):
    settings.TASKS = DB_TASKS
    log = tmp_path / "db_worker.log"
    with SmtpServer(RecordingHandler()) as smtp:
        env = worker_env(NOTIFY_TEST_SMTP_PORT=str(smtp.port))
        with process(WORKER, env, log):
            ids = _register_batch(office, 5)
            wait_for(
                lambda: _statuses() == Counter({"sent": 5}),
                timeout=DELIVERY_WAIT,
                what="5 messages sent",
                log=log,
            )
        assert sorted(smtp.handler.message_ids()) == sorted(_message_id(pk) for pk in ids)
    # Each was run by the worker process from the database queue, not in this process.
    runs = DBTaskResult.objects.filter(task_path=DELIVER, status="SUCCESSFUL")
    assert sorted(r.args_kwargs["args"][0] for r in runs) == ids
    assert all(r.worker_ids for r in runs)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


@pytest.fixture
def redis_url(tmp_path):
    """The Redis on 127.0.0.1:6379 (CI's REDIS_URL), or a private redis-server if none runs."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parsed = urlparse(url)
    if redis_reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        yield url
        return
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: redis_reachable("127.0.0.1", port), timeout=10, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def admin_registry():
    """Installing django_rq for one test registers its admin models; take them out again, or a
    later admin index in the same process looks up an app that is no longer installed."""
    from django.contrib import admin

    before = dict(admin.site._registry)
    yield
    admin.site._registry.clear()
    admin.site._registry.update(before)


def test_rq_backend_worker_process_delivers_every_message(office, settings, tmp_path, redis_url,
                                                           admin_registry):
    # A queue of our own: other test runs may share this Redis.
    queue = f"aduan-notify-test-{uuid.uuid4().hex[:12]}"
    if "django_rq" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": redis_url}, queue: {"URL": redis_url}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue]}
    }
    settings.ADUAN_NOTIFY_QUEUE = queue
    log = tmp_path / "rqworker.log"
    with SmtpServer(RecordingHandler()) as smtp:
        env = worker_env(
            NOTIFY_TEST_SMTP_PORT=str(smtp.port),
            NOTIFY_TEST_BACKEND="rq",
            NOTIFY_TEST_REDIS_URL=redis_url,
            NOTIFY_TEST_QUEUE=queue,
        )
        with process(
            ["rqworker", queue, "--skip-checks", "--job-class", "django_tasks_rq.Job"], env, log
        ):
            ids = _register_batch(office, 5)
            wait_for(
                lambda: _statuses() == Counter({"sent": 5}),
                timeout=DELIVERY_WAIT,
                what="5 messages sent by rqworker",
                log=log,
            )
        assert sorted(smtp.handler.message_ids()) == sorted(_message_id(pk) for pk in ids)


def test_killed_worker_restarted_delivers_every_message_none_lost(office, settings, tmp_path):
    settings.TASKS = DB_TASKS
    n = 8
    log = tmp_path / "worker.log"
    # A slow mail server: it accepts each message, then waits 0.6 s before answering 250, so
    # the kill lands mid-batch, between the provider's acceptance and our record of it.
    handler = RecordingHandler(delay=0.6, accept_before_reply=True)
    with SmtpServer(handler) as smtp:
        env = worker_env(
            NOTIFY_TEST_SMTP_PORT=str(smtp.port),
            NOTIFY_TEST_STUCK_SECONDS="2",
            NOTIFY_TEST_REQUEUE_SECONDS="2",
        )
        with process(WORKER, env, log) as worker:
            ids = _register_batch(office, n)

            def mid_send() -> bool:
                statuses = _statuses()
                # The mail server holds the in-flight message; the worker awaits its 250,
                # due in more than half the delay, so the kill surely lands before it.
                if time.monotonic() - handler.last_data_at > handler.delay / 2:
                    return False
                return (
                    statuses["sent"] >= 3
                    and statuses["sending"] == 1
                    and len(handler.message_ids()) == statuses["sent"] + 1
                )

            wait_for(mid_send, timeout=30, what="worker in the middle of the batch", log=log)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        in_flight = set(
            OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list("pk", flat=True)
        )
        at_kill = _statuses()
        assert at_kill["pending"] > 0, "the kill must leave messages unsent"
        assert len(in_flight) == 1

        # What `run_worker`'s scheduler does every ADUAN_PERIODIC_TASKS interval: queue the
        # sweeper, here for just after the in-flight claim counts as stuck (2 s).
        claimed_at = OutboxMessage.objects.get(pk=next(iter(in_flight))).claimed_at
        sweep_outbox.using(run_after=claimed_at + dt.timedelta(seconds=2.5)).enqueue()
        handler.delay = 0
        with process(WORKER, env, log):
            wait_for(
                lambda: _statuses() == Counter({"sent": n}),
                timeout=DELIVERY_WAIT,
                what="every message sent after the restart",
                log=log,
            )

    received = Counter(handler.message_ids())
    expected = {_message_id(pk) for pk in ids}
    # None lost: every outbox row reached the mail server.
    assert set(received) == expected
    # The one duplicate is the message in flight at the kill: sent twice with the same
    # Message-ID, so it is traceable to its outbox row. Every other message exactly once.
    duplicated = {mid: count for mid, count in received.items() if count > 1}
    assert duplicated == {_message_id(pk): 2 for pk in in_flight}
    [stuck] = in_flight
    recovered = OutboxMessage.objects.get(pk=stuck)
    assert recovered.attempts == 2
    assert recovered.provider_message_id == _message_id(stuck)
    others = OutboxMessage.objects.exclude(pk=stuck)
    assert set(others.values_list("attempts", flat=True)) == {1}
