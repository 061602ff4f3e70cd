"""Run the task worker of the configured backend plus the periodic-task scheduler."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tasks_db import DatabaseBackend

from aduan.config.env import require_public_url


class Command(BaseCommand):
    help = "Start the background worker (database or RQ backend) and enqueue periodic tasks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scheduler", action="store_true",
                            help="Only run the worker; do not enqueue periodic tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        require_public_url()  # messages the worker sends link to the portal
        backend = settings.TASKS["default"]["BACKEND"]
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if "django_tasks_rq" in backend:
            cmd = [*manage, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        elif issubclass(import_string(backend), DatabaseBackend):
            cmd = [*manage, "db_worker", "--interval", "1"]
        else:
            self.stderr.write(f"Backend {backend} runs tasks in-process; no worker needed.")
            cmd = []
        worker = subprocess.Popen(cmd) if cmd else None  # noqa: S603 - our own manage.py
        stop = False

        def _stop(*_: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        last_run: dict[str, float] = {}
        try:
            while not stop:
                if not options["no_scheduler"]:
                    self._enqueue_due(last_run)
                if worker is not None and worker.poll() is not None:
                    self.stderr.write("worker exited; restarting")
                    worker = subprocess.Popen(cmd)  # noqa: S603
                time.sleep(1)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _enqueue_due(self, last_run: dict[str, float]) -> None:
        now = time.monotonic()
        for path, interval in getattr(settings, "ADUAN_PERIODIC_TASKS", []):
            if now - last_run.get(path, -interval) >= interval:
                try:
                    import_string(path).enqueue()
                except Exception as exc:  # keep the scheduler alive; the error is logged
                    self.stderr.write(f"could not enqueue {path}: {exc}")
                last_run[path] = now
