"""The pruning of desk_reporter_name_word (desk/migrations/0005) against a registration that adds
the same word at the same moment (review of session 10): the registration's trigger finds the
word present and adds nothing; a pruning that did not wait for it would not see its
uncommitted name and delete the word, and the new reporter would not be found by it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from aduan.complaints.models import Reporter

pytestmark = pytest.mark.django_db(transaction=True)


def _words() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM desk_reporter_name_word")
        return {row[0] for row in cursor.fetchall()}


def test_a_pruning_waits_for_a_registration_of_the_same_word():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's table of name words")
    erased = Reporter.objects.create(name="Zebulon Wirasatya")
    assert "zebulon" in _words()
    inserted, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def register() -> None:
        try:
            with transaction.atomic():
                Reporter.objects.create(name="Zebulon Baru")  # 'zebulon' present: not added
                inserted.set()
                release.wait(30)
        except BaseException as exc:
            failures.append(exc)
        finally:
            inserted.set()
            connections.close_all()

    def erase() -> None:
        try:
            with transaction.atomic():
                Reporter.objects.filter(pk=erased.pk).update(name="")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    registration = threading.Thread(target=register)
    registration.start()
    inserted.wait(30)
    erasure = threading.Thread(target=erase)
    erasure.start()
    erasure.join(2)  # without the lock the erasure is done by now, its pruning run
    release.set()
    registration.join(30)
    erasure.join(30)
    assert not failures, failures
    assert Reporter.objects.filter(name="Zebulon Baru").exists()
    assert "zebulon" in _words()  # the new reporter's word
    assert "wirasatya" not in _words()  # the erased name's own word: gone


def test_a_renaming_after_another_reporter_update_does_not_deadlock_with_an_erasure():
    """desk/0005's UPDATE trigger took the shared lock on every UPDATE of a reporter (held to
    the transaction's end) and the pruning the exclusive one: a transaction that had updated a
    reporter, then renamed one while an erasure waited for it, deadlocked (one aborted)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's table of name words")
    first = Reporter.objects.create(name="Yohana Pertama")
    second = Reporter.objects.create(name="Yulius Kedua")
    erased = Reporter.objects.create(name="Yasinta Ketiga")
    updated, erasing, erased_done = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def erasure_waits() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                           "AND NOT granted")
            return bool(cursor.fetchone()[0])

    def correct() -> None:
        try:
            with transaction.atomic():
                Reporter.objects.filter(pk=first.pk).update(occupation="guru")  # not a name
                updated.set()
                erasing.wait(30)
                while not erased_done.is_set() and not erasure_waits():
                    erased_done.wait(0.01)  # until the erasure waits for us, or is done
                Reporter.objects.filter(pk=second.pk).update(name="Yulius Kedua Benar")
        except BaseException as exc:
            failures.append(exc)
        finally:
            updated.set()
            connections.close_all()

    def erase() -> None:
        try:
            updated.wait(30)
            erasing.set()
            with transaction.atomic():
                Reporter.objects.filter(pk=erased.pk).update(name="")
        except BaseException as exc:
            failures.append(exc)
        finally:
            erasing.set()
            erased_done.set()
            connections.close_all()

    threads = [threading.Thread(target=correct), threading.Thread(target=erase)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    words = _words()
    assert {"benar", "yulius"} <= words and not {"yasinta", "ketiga"} & words
