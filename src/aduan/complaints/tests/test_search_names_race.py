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
