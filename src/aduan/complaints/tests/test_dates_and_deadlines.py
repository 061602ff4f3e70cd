"""Dates are validated (SPEC §7 case 26) and each case knows its limits (SPEC §4, §8)."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from aduan.complaints import services
from aduan.complaints.deadlines import deadline_state
from aduan.complaints.models import Complaint
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import JAKARTA, register_complaint
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ValidationFailed
from aduan.offices.models import Classification, DeadlinePolicy

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2025, 5, 8, 9, 0, tzinfo=JAKARTA)


def test_settlement_before_the_complaint_date_is_refused(office, officer):
    complaint = register_complaint(office, received=RECEIVED)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Lewat OSS.",
                                  at=RECEIVED - dt.timedelta(days=1))
    assert "tidak boleh sebelum tanggal pengaduan" in err.value.message
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.settled_on is None


def test_database_refuses_settlement_before_receipt_too(office):
    complaint = register_complaint(office, received=RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(settled_on=dt.date(2025, 5, 7))


def test_future_complaint_date_is_refused(office):
    with pytest.raises(ValidationFailed):
        register_complaint(office, received=dt.datetime(2099, 1, 1, tzinfo=JAKARTA))


def test_limits_are_set_on_registration_disposition_and_response(office, officer, lead):
    complaint = register_complaint(office, received=RECEIVED)  # Thursday 8 May 2025
    # Off: 12 May Waisak, 13 May cuti bersama, 29 May Ascension, 30 May cuti bersama,
    # 6 Jun Idul Adha, 9 Jun cuti bersama.
    assert complaint.verify_due_on == dt.date(2025, 5, 15)
    assert complaint.due_on == dt.date(2025, 6, 13)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist(),
                              at=RECEIVED)
    disposed = services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                          unit=office.units.get(code="perizinan-a"),
                                          at=RECEIVED)
    assert disposed.follow_up_due_on == dt.date(2025, 5, 19)


def test_policy_per_classification_overrides_office_default(office):
    DeadlinePolicy.objects.create(office=office,
                                  classification=Classification.INFORMATION_REQUEST,
                                  settle_days=3)
    info = register_complaint(office, received=RECEIVED,
                              classification=Classification.INFORMATION_REQUEST)
    assert info.due_on == dt.date(2025, 5, 15)


def test_deadline_state_flags_overdue_and_due_soon(office):
    complaint = register_complaint(office, received=RECEIVED)
    soon = deadline_state(complaint, today=dt.date(2025, 6, 10))
    assert soon.is_due_soon and not soon.is_overdue and soon.working_days_left == 3
    late = deadline_state(complaint, today=dt.date(2025, 6, 16))
    assert late.is_overdue and late.working_days_left == -1


def test_incomplete_case_is_withdrawn_after_thirty_days(office, officer):
    complaint = register_complaint(office, received=RECEIVED)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, at=RECEIVED,
                              checklist=Checklist(meets_requirements=False), note="Kirim KTP.")
    complaint.refresh_from_db()
    assert complaint.status == Status.INCOMPLETE
    assert complaint.completion_due_on == dt.date(2025, 6, 7)
    assert services.complaints_withdraw_expired(today=dt.date(2025, 6, 7)) == 0
    with time_machine.travel(dt.datetime(2025, 6, 8, 10, tzinfo=JAKARTA), tick=False):
        assert services.complaints_withdraw_expired(today=dt.date(2025, 6, 8)) == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN


def test_responded_case_closes_itself_after_ten_working_days(office, officer):
    complaint = register_complaint(office, received=RECEIVED)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist(),
                              at=RECEIVED)
    responded = services.complaint_respond(complaint_id=complaint.pk, actor=officer,
                                           response="Sudah diproses.", at=RECEIVED)
    assert responded.auto_close_on == dt.date(2025, 5, 26)
    with time_machine.travel(dt.datetime(2025, 5, 26, 10, tzinfo=JAKARTA), tick=False):
        assert services.complaints_auto_close_due(today=dt.date(2025, 5, 26)) == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.events.last().kind == "auto_closed"
