"""Synthetic data is consistent with what the services would have written."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from aduan.complaints.models import CaseEvent, Complaint, RegisterCounter
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.complaints.workflow import SETTLED_STATUSES

pytestmark = pytest.mark.django_db


def test_generate_complaints_is_consistent_and_continues_numbering():
    call_command("load_demo", "--single-office")
    call_command("generate_complaints", "600", "--start", "2024-01-01", "--end", "2025-12-31",
                 "--batch-size", "250")
    assert Complaint.objects.count() == 632
    for year in (2024, 2025):
        seqs = sorted(Complaint.objects.filter(register_year=year)
                      .values_list("register_sequence", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert RegisterCounter.objects.get(year=year).last_sequence == len(seqs)
    statuses = Counter(Complaint.objects.values_list("status", flat=True))
    assert len(statuses) >= 6
    channels = Counter(Complaint.objects.values_list("channel__code", flat=True))
    assert len(channels) >= 8
    assert CaseEvent.objects.count() >= 632
    for c in Complaint.objects.filter(status__in=SETTLED_STATUSES)[:50]:
        assert c.settled_on >= c.received_on
        assert c.working_days_taken >= 1
    assert not Complaint.objects.filter(due_on__lt=dt.date(2024, 1, 1)).exists()
    # Generated rows read back through the ORM with their dates and JSON intact.
    event = CaseEvent.objects.filter(data__synthetic=True).select_related("complaint").first()
    assert event.created_at.tzinfo is not None
    assert event.complaint.received_at == event.created_at
    # The services keep working after the bulk load (primary keys and sequences continue).
    after = register_complaint(Complaint.objects.first().office,
                               received=dt.datetime(2025, 12, 31, 9, tzinfo=JAKARTA))
    assert after.register_sequence == RegisterCounter.objects.get(year=2025).last_sequence
