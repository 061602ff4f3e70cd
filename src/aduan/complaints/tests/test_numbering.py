"""Register numbers stay gapless and unique under concurrent creation (SPEC §3)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from aduan.complaints.models import Complaint, RegisterCounter
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.demo.office import load_demo_office

CONCURRENT = 200


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_registrations_are_gapless():
    office = load_demo_office()
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def worker(n: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(CONCURRENT // 20):
                register_complaint(office, description=f"Pengaduan serentak {n}-{i}",
                                   received=dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(Complaint.objects.filter(register_year=2025)
                       .values_list("register_sequence", flat=True))
    assert sequences == list(range(1, CONCURRENT + 1))
    numbers = set(Complaint.objects.values_list("register_number", flat=True))
    assert len(numbers) == CONCURRENT
    assert "500.16.7.2/200/DPMPTSP/2025" in numbers
    assert RegisterCounter.objects.get(office=office, year=2025).last_sequence == CONCURRENT


@pytest.mark.django_db
def test_rolled_back_registration_leaves_no_gap(office):
    first = register_complaint(office)
    with pytest.raises(RuntimeError), transaction.atomic():
        register_complaint(office)
        raise RuntimeError("abort")
    second = register_complaint(office)
    assert (first.register_sequence, second.register_sequence) == (1, 2)


@pytest.mark.django_db
def test_numbering_restarts_each_year_and_follows_the_pattern(office):
    office.register_number_pattern = "ADU/{year}/{month:02d}/{seq:05d}"
    office.save()
    a = register_complaint(office, received=dt.datetime(2024, 12, 31, 9, tzinfo=JAKARTA))
    b = register_complaint(office, received=dt.datetime(2025, 1, 2, 9, tzinfo=JAKARTA))
    assert a.register_number == "ADU/2024/12/00001"
    assert b.register_number == "ADU/2025/01/00001"


@pytest.mark.django_db
def test_tracking_codes_are_unguessable(office):
    codes = {register_complaint(office).tracking_code for _ in range(5)}
    assert len(codes) == 5
    assert all(len(c) >= 16 for c in codes)
