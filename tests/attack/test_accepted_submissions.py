"""Accepted web submissions (decision 0015) attacked as the unlucky day: a key rotation while
rows wait, a worker that runs in the next year, a registration that fails with the reporter's
data in the database's message (issue 17 review).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import traceback
import zoneinfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import IntegrityError, OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from aduan.complaints import submissions
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.complaints.nik_keys import reporters_check_nik_keys
from aduan.complaints.services import ReporterInput
from aduan.complaints.submissions import Once, submission_register, submissions_sweep
from aduan.core import crypto
from aduan.notifications.tests.test_worker import admin_registry  # noqa: F401 (fixture)
from aduan.portal import throttle
from aduan.portal.services import Submission, portal_submission_accept

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NAME, NIK, PHONE = "Sutrisno Pamungkas", "3174010203040005", "081298765432"
DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _db_tasks(settings):
    """The database task queue: the registration waits in its task row (no worker here)."""
    settings.TASKS = DB_TASKS


def accept(office, key: str = "attack-1"):
    return portal_submission_accept(
        office=office, submission=Submission(subject="Jalan rusak",
                                             description="Lubang besar di depan sekolah."),
        reporter=ReporterInput(name=NAME, nik=NIK, phone=PHONE, email="s.p@contoh.id",
                               consent=True),
        once=Once("web", key))


def test_a_key_rotation_while_a_submission_waits_does_not_lose_it(office):
    """The operator rotates FIELD_ENCRYPTION_KEYS (new key first, `reencrypt_nik`, old key
    removed: docs/security.md) while an accepted row waits for the worker (it is down, or the
    row failed and waits for `retry_submissions`). The row's payload must move to the new key
    with the NIKs, or the worker can never open it and the complaint is lost."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        accepted = accept(office)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        call_command("reencrypt_nik", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        reporters_check_nik_keys()  # what the operator runs before removing the old key
        complaint = submission_register(accepted.key.pk)
        assert complaint is not None
        assert complaint.reporter.name == NAME and complaint.reporter.nik == NIK
    assert complaint.tracking_code == accepted.key.tracking_code


def test_the_key_check_names_a_waiting_row_no_key_opens(office):
    """`reencrypt_nik --check` (and the check before a rewrite) fails loudly for an accepted
    row no configured key opens, as it does for a NIK, instead of letting the old key go."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        accept(office)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]), pytest.raises(crypto.KeyMismatchError):
        reporters_check_nik_keys()


def test_a_submission_of_new_years_eve_registered_in_january_keeps_its_year(office):
    """Accepted at 23:59 WIB on 31 December, the worker back on 2 January: the number is the
    old year's, the dates and the 20-working-day deadline count from 31 December."""
    eve = dt.datetime(2026, 12, 31, 23, 59, tzinfo=WIB)
    with time_machine.travel(eve, tick=False):
        accepted = accept(office)
    with time_machine.travel(dt.datetime(2027, 1, 2, 9, 0, tzinfo=WIB), tick=False):
        complaint = submission_register(accepted.key.pk)
    assert complaint is not None
    assert complaint.received_at == eve
    assert complaint.received_on == dt.date(2026, 12, 31)
    assert complaint.register_year == 2026 and "2026" in complaint.register_number
    assert complaint.issued_on == dt.date(2026, 12, 31)
    from aduan.complaints.deadlines import limits_for
    from aduan.offices.calendar import calendar_for_office

    settle = limits_for(office, complaint.classification).settle_days
    assert complaint.due_on == calendar_for_office(office.pk).add_working_days(
        dt.date(2026, 12, 31), settle)
    assert Complaint.objects.count() == 1


def test_a_failed_registration_keeps_no_identity_in_the_row_the_log_or_the_task(
        office, caplog, monkeypatch):
    """A registration that fails with the reporter's data in the database's message: PostgreSQL
    quotes the whole row of a NOT NULL or CHECK violation ('DETAIL: Failing row contains
    (Sutrisno Pamungkas, 081298765432, ...)'), a unique violation its key. The row's error (shown
    to staff in the admin), the log and the exception the task stores keep the cause, never
    the identity the payload holds encrypted."""
    accepted = accept(office)
    detail = (f'null value in column "x" of relation "complaints_reporter" violates not-null '
              f'constraint\nDETAIL:  Failing row contains (7, {NAME}, {NIK}, {PHONE}, null).')

    def failing(*args, **kwargs):
        raise IntegrityError(detail)

    monkeypatch.setattr("aduan.complaints.submissions.complaint_register", failing)
    with caplog.at_level(logging.INFO), pytest.raises(Exception) as raised:
        submission_register(accepted.key.pk)
    row = SubmissionKey.objects.get(pk=accepted.key.pk)
    assert row.attempts == 1
    assert "not-null constraint" in row.error  # the cause stays readable
    task_view = "".join(traceback.format_exception(raised.value))
    for value in (NAME, NIK, PHONE):
        assert value not in row.error
        assert value not in caplog.text
        assert value not in task_view


def test_redis_down_with_rq_loses_nothing_and_logs_no_identity(office, settings, caplog,
                                                              admin_registry):  # noqa: F811
    """TASK_BACKEND=rq and Redis refusing connections: the submission is still accepted (its
    row committed before the queue is asked), the failure logged without the reporter, and
    the sweep queues it once a queue answers again; registered once."""
    if "django_rq" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    data = {"name": NAME, "nik": NIK, "phone": PHONE, "email": "s.p@contoh.id",
            "address": "Jl. Kenanga 99", "occupation": "Guru", "company_name": "",
            "service_type": "", "subject": "Jalan rusak", "website": "", "consent": "on",
            "description": "Lubang besar di depan sekolah.", "form_token": throttle.form_token()}
    with caplog.at_level(logging.INFO):
        response = Client().post(reverse("portal:submit"), data)
    assert response.status_code == 302, response.content[:500]
    row = SubmissionKey.objects.get()
    assert row.complaint_id is None and Complaint.objects.count() == 0
    assert "not queued" in caplog.text
    for value in (NAME, NIK, PHONE):
        assert value not in caplog.text
    assert submissions_sweep()["queued"] == 0  # Redis still down: waits, not dropped
    # A queue answers again (here the immediate backend: the task runs as it is queued).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    SubmissionKey.objects.update(received_at=timezone.now() - dt.timedelta(minutes=5),
                                 updated_at=timezone.now() - dt.timedelta(minutes=5))
    assert submissions_sweep() == {"waiting": 1, "queued": 1}
    row.refresh_from_db()
    assert row.complaint_id is not None and Complaint.objects.count() == 1
    assert submissions_sweep() == {"waiting": 0, "queued": 0}


def test_a_reporter_without_contact_is_not_promised_a_message(office, settings):
    """The pending receipt of an anonymous reporter who left no e-mail and no phone (the form
    allows it) must not say the number 'will be sent to your contact': nothing will be; it
    says to reload instead."""
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    client = Client()
    base = {"address": "", "occupation": "", "company_name": "", "service_type": "",
            "subject": "Jalan rusak", "website": "", "consent": "on", "nik": "",
            "description": "Lubang besar di depan sekolah."}
    silent = client.post(reverse("portal:submit"), base | {
        "is_anonymous": "on", "name": "", "phone": "", "email": "",
        "form_token": throttle.form_token()})
    assert silent.status_code == 302, silent.content[:800]
    page = client.get(silent["Location"]).content.decode()
    assert 'id="register-pending"' in page
    assert "dikirim ke kontak Anda" not in page
    assert "tampil di halaman ini sebentar lagi" in page
    reachable = client.post(reverse("portal:submit"), base | {
        "name": NAME, "phone": PHONE, "email": "", "form_token": throttle.form_token()})
    assert "dikirim ke kontak Anda" in client.get(reachable["Location"]).content.decode()


def _run_queued() -> None:
    """What a db_worker does with the queued registrations (failures recorded, not raised)."""
    from django_tasks_db.models import DBTaskResult

    from aduan.complaints.tasks import register_submission

    for task in DBTaskResult.objects.filter(task_path=register_submission.module_path,
                                            status="READY").order_by("pk"):
        task.delete()
        with contextlib.suppress(Exception):  # the worker records the failure, goes on
            register_submission.call(*task.args_kwargs["args"])


def test_a_transient_failure_of_ten_minutes_does_not_exhaust_a_rows_attempts(office, settings,
                                                                             monkeypatch):
    """The database refuses the registration for ten minutes (SQLite's writer lock held past
    its timeout under a burst, a PostgreSQL failover): every attempt fails. With a fixed
    60 s between attempts the row was past its fifth and last within five minutes and needed
    an operator; attempts back off (60 s, 120 s, 240 s...), so after the outage it is
    registered by the sweep alone."""
    settings.ADUAN_SUBMISSION_REQUEUE_SECONDS = 60
    settings.ADUAN_SUBMISSION_MAX_ATTEMPTS = 5
    start = dt.datetime(2026, 12, 7, 10, 0, tzinfo=WIB)
    with time_machine.travel(start, tick=False):
        accepted = accept(office)
    real_register = submissions.complaint_register

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(submissions, "complaint_register", locked)
    for second in range(0, 10 * 60 + 1, 30):  # the sweep runs every 30 s or so
        with time_machine.travel(start + dt.timedelta(seconds=second), tick=False):
            submissions_sweep()
            _run_queued()
    row = SubmissionKey.objects.get(pk=accepted.key.pk)
    assert row.attempts < settings.ADUAN_SUBMISSION_MAX_ATTEMPTS, row.attempts
    monkeypatch.setattr(submissions, "complaint_register", real_register)
    for second in range(10 * 60, 40 * 60, 30):
        with time_machine.travel(start + dt.timedelta(seconds=second), tick=False):
            submissions_sweep()
            _run_queued()
    row.refresh_from_db()
    assert row.complaint_id is not None and Complaint.objects.count() == 1
