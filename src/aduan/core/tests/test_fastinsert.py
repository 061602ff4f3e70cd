"""core/fastinsert.py writes the same row as Model.save(), and the models it serves have no
save signals it would skip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models.signals import post_save, pre_save

from aduan.complaints.models import CaseEvent, Complaint, EventKind, Reporter, SubmissionKey
from aduan.complaints.tests.factories import register_complaint
from aduan.core.fastinsert import insert
from aduan.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [Reporter, Complaint, CaseEvent, OutboxMessage, SubmissionKey])
def test_no_save_signal_receivers_are_skipped(model):
    assert not pre_save.has_listeners(model)
    assert not post_save.has_listeners(model)


def test_inserted_row_reads_back_as_saved(office):
    complaint = register_complaint(office)
    at = dt.datetime(2025, 3, 3, 2, 0, tzinfo=dt.UTC)
    event = insert(CaseEvent(complaint=complaint, kind=EventKind.NOTE, is_public=False,
                             body="Catatan <b>", data={"a": [1, "dua"]}, status_before="",
                             status_after=complaint.status, created_at=at))
    assert event.pk is not None and not event._state.adding
    stored = CaseEvent.objects.get(pk=event.pk)
    assert (stored.complaint_id, stored.body, stored.data, stored.created_at) == (
        complaint.pk, "Catatan <b>", {"a": [1, "dua"]}, at)


def test_auto_now_fields_are_filled(office):
    reporter = insert(Reporter(name="Pelapor", phone="+6281200000000"))
    stored = Reporter.objects.get(pk=reporter.pk)
    assert stored.created_at is not None and stored.updated_at is not None
    assert stored.name == "Pelapor"


def test_an_unsaved_related_object_is_refused(office):
    complaint = Complaint(office=office)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(CaseEvent(complaint=complaint, kind=EventKind.NOTE, is_public=False,
                         status_after="received", created_at=dt.datetime.now(dt.UTC)))
