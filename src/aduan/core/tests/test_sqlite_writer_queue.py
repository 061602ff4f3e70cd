"""The SQLite backend's writer queue (core/backends/sqlite3): a write transaction holds an
exclusive lock on `<database>-writer.lock` from BEGIN to COMMIT or ROLLBACK, writers in several
processes queue on it, and a thread that waits too long gets "database is locked"."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import subprocess
import sys
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from aduan.complaints.models import Complaint
from aduan.demo.office import load_demo_office
from aduan.offices.models import Holiday, HolidayKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the queue is SQLite's"),
]


def _lock_path() -> str:
    return f"{connection.settings_dict['NAME']}-writer.lock"


def _lock_is_free() -> bool:
    fd = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_lock_until_commit():
    office = load_demo_office()
    assert _lock_is_free()
    with transaction.atomic():
        Holiday.objects.create(office=office, date=dt.date(2031, 5, 6), name="Libur",
                               kind=HolidayKind.REGIONAL)
        assert not _lock_is_free()
    assert _lock_is_free()


def test_a_rollback_releases_the_lock():
    office = load_demo_office()
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(office=office, date=dt.date(2031, 5, 6), name="Libur",
                               kind=HolidayKind.REGIONAL)
        raise RuntimeError("abort")
    assert _lock_is_free()
    assert not Holiday.objects.filter(date=dt.date(2031, 5, 6)).exists()


def test_a_thread_waiting_past_the_timeout_gets_database_is_locked(monkeypatch):
    office = load_demo_office()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.3)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with transaction.atomic():
                Holiday.objects.create(office=office, date=dt.date(2031, 5, 7), name="Libur",
                                       kind=HolidayKind.REGIONAL)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    fd = os.open(_lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process's writer, holding on
    try:
        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(timeout=10)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert len(errors) == 1 and isinstance(errors[0], OperationalError)
    assert "database is locked" in str(errors[0])


# Each writer is a fresh interpreter on the test database, as gunicorn's workers are.
WRITER = """
import datetime as dt, sys
import django
django.setup()
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.offices.models import Office
office = Office.objects.get(pk=int(sys.argv[1]))
for i in range(25):
    register_complaint(office, description=f"Proses {sys.argv[2]} pengaduan {i}",
                       received=dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA))
"""


def test_writers_in_four_processes_queue_and_stay_gapless():
    office = load_demo_office()
    env = {**os.environ, "ADUAN_SQLITE_PATH": str(connection.settings_dict["NAME"]),
           "DJANGO_SETTINGS_MODULE": "aduan.config.settings_test",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(office.pk), str(tag)],
                                env=env, stderr=subprocess.PIPE, text=True)
               for tag in range(4)]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], errors
    sequences = sorted(Complaint.objects.filter(register_year=2025)
                       .values_list("register_sequence", flat=True))
    assert sequences == list(range(1, 101))
    assert _lock_is_free()
