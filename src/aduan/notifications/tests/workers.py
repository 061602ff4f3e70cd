"""Start real worker processes against the test database (for the delivery tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def database_env() -> dict[str, str]:
    """Point a child process at the database this test uses."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"ADUAN_SQLITE_PATH": str(params["NAME"])}
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or "5432"
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"}


def worker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ADUAN_SQLITE_PATH")}
    env.update(database_env())
    env["DJANGO_SETTINGS_MODULE"] = "aduan.notifications.tests.worker_settings"
    env.update(extra)
    return env


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, MANAGE, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, log: Path | None = None
) -> None:
    """Poll until `condition()`; a functional wait, not a performance assertion."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    detail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def redis_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
