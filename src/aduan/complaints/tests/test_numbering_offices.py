"""Register numbers stay gapless per office when many offices of one instance receive at once
(issue 18: each office numbers its own cases; on PostgreSQL when DATABASE_URL points there)."""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection

from aduan.complaints.models import Complaint, RegisterCounter
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.offices.models import Channel, ChannelKind, Office

OFFICES = 5
THREADS = 10
PER_THREAD = 12


def _office(n: int) -> Office:
    office = Office.objects.create(
        code=f"opd-{n}", name=f"Dinas Uji {n}", short_name=f"Dinas {n}",
        government_name="PEMERINTAH KABUPATEN UJI", city="Uji",
        register_number_pattern=f"{n}00/{{seq}}/OPD{n}/{{year}}")
    Channel.objects.create(office=office, code="sms_wa", name="WA", kind=ChannelKind.WHATSAPP)
    return office


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_to_many_offices_number_each_office_gaplessly():
    offices = [_office(n) for n in range(1, OFFICES + 1)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    received = dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA)

    def worker(n: int) -> None:
        try:
            start.wait(timeout=60)
            for i in range(PER_THREAD):
                # Each thread walks the offices from its own starting point, so every office
                # is written by several threads at the same moment.
                office = offices[(n + i) % OFFICES]
                register_complaint(office, description=f"Pengaduan serentak {n}-{i}",
                                   received=received)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    per_office = Counter(Complaint.objects.values_list("office_id", flat=True))
    assert sum(per_office.values()) == THREADS * PER_THREAD
    for office in offices:
        n = per_office[office.pk]
        assert n == THREADS * PER_THREAD // OFFICES
        sequences = sorted(office.complaints.filter(register_year=2025)
                           .values_list("register_sequence", flat=True))
        assert sequences == list(range(1, n + 1))
        numbers = set(office.complaints.values_list("register_number", flat=True))
        assert numbers == {f"{office.code[4:]}00/{s}/OPD{office.code[4:]}/2025"
                           for s in range(1, n + 1)}
        assert RegisterCounter.objects.get(office=office, year=2025).last_sequence == n
