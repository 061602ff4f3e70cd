"""Outbox throughput: complaints registered with their receipt written in the same transaction,
then delivered by 1 and 2 real `db_worker` processes to a local SMTP server (aiosmtpd).

    .venv/bin/python manage.py migrate  # with the same ADUAN_SQLITE_PATH / DATABASE_URL
    ADUAN_SQLITE_PATH=var/notify-bench.sqlite3 .venv/bin/python bench/notify_delivery.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_notify_bench .venv/bin/python bench/notify_delivery.py

Prints registrations/s (each writes its outbox row and queues delivery on commit) and
messages/s delivered, after checking that every message arrived exactly once.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8425"))  # notify's port range 8400-8499
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["EMAIL_PORT"] = str(SMTP_PORT)
os.environ["TASK_BACKEND"] = "db"

import django  # noqa: E402

django.setup()

from django.db.models import Max, Min  # noqa: E402

from aduan.complaints import services  # noqa: E402
from aduan.demo.office import load_demo_office  # noqa: E402
from aduan.notifications.models import OutboxMessage  # noqa: E402
from aduan.notifications.tests.smtp import RecordingHandler  # noqa: E402

N = int(os.environ.get("BENCH_MESSAGES", "400"))


def register_batch(office, n: int, tag: str) -> tuple[list[int], float]:
    channel = office.channels.get(code="website")
    first = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    began = time.perf_counter()
    for i in range(n):
        services.complaint_register(
            office=office,
            channel=channel,
            subject="Bench",
            description=f"Bench {tag} {i}",
            reporter=services.ReporterInput(
                name="Bench", email=f"b{tag}{i}@example.id", consent=True
            ),
        )
    elapsed = time.perf_counter() - began
    ids = list(OutboxMessage.objects.filter(pk__gt=first).values_list("pk", flat=True))
    assert len(ids) == n, (len(ids), n)
    return ids, n / elapsed


def deliver(ids: list[int], handler: RecordingHandler, workers: int) -> tuple[float, float]:
    env = {**os.environ, "EMAIL_PORT": str(SMTP_PORT), "TASK_BACKEND": "db"}
    began = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--skip-checks",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        while OutboxMessage.objects.filter(pk__in=ids, status="sent").count() < len(ids):
            time.sleep(0.2)
        elapsed = time.perf_counter() - began
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
    wanted = {f"<outbox-{pk}@aduan.localhost>" for pk in ids}
    got = Counter(mid for mid in handler.message_ids() if mid in wanted)
    assert set(got) == wanted and max(got.values()) == 1, "lost or duplicated messages"
    # Steady rate: first to last send, without the workers' start-up.
    first, last = (
        OutboxMessage.objects.filter(pk__in=ids)
        .aggregate(a=Min("sent_at"), b=Max("sent_at"))
        .values()
    )
    return len(ids) / elapsed, (len(ids) - 1) / max((last - first).total_seconds(), 1e-6)


def main() -> None:
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    office = load_demo_office()
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        db = django.db.connection.vendor
        for workers in (1, 2):
            ids, reg_rate = register_batch(office, N, f"w{workers}t{int(time.time())}")
            overall, steady = deliver(ids, handler, workers)
            print(
                f"{db}: {N} complaints registered at {reg_rate:.0f}/s (receipt row + queued); "
                f"{workers} db_worker: {steady:.1f} messages/s steady, {overall:.1f}/s "
                f"including worker start-up; none lost or duplicated"
            )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
