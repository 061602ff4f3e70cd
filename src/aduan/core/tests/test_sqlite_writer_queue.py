"""The SQLite backend's writer queue (core/backends/sqlite3): a write transaction holds an
exclusive lock on `<database>-writer.lock` from BEGIN to COMMIT or ROLLBACK, writers in several
processes queue on it, and a thread that waits too long gets "database is locked"."""

from __future__ import annotations

import datetime as dt
import fcntl
import multiprocessing
import os
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from aduan.complaints.models import Complaint
from aduan.complaints.tests.factories import JAKARTA, register_complaint
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


def _register_many(office_id: int, n: int, tag: int) -> None:
    from aduan.offices.models import Office

    office = Office.objects.get(pk=office_id)
    for i in range(n):
        register_complaint(office, description=f"Proses {tag} pengaduan {i}",
                           received=dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA))
    connections.close_all()


def test_writers_in_four_processes_queue_and_stay_gapless():
    office = load_demo_office()
    connections.close_all()  # children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_register_many, args=(office.pk, 25, tag))
                 for tag in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    sequences = sorted(Complaint.objects.filter(register_year=2025)
                       .values_list("register_sequence", flat=True))
    assert sequences == list(range(1, 101))
    assert _lock_is_free()
