"""Retention of personal data (SPEC §6, §8; UU 27/2022): anonymise reporters at the end of
their office's retention period and keep the cases for the statistics.

A reporter is due when every one of their complaints is settled (SETTLED_STATUSES) and each
was settled, and last touched (its latest timeline event), before its office's cutoff: the same
calendar day `office.retention_years` years ago. Then, in one transaction per reporter:
- the Reporter keeps its row and flags but loses name, NIK, address, occupation, phone and
  e-mail; `anonymised_at` is set;
- each complaint keeps number, dates, channel, classification, status, unit, service type and
  deadlines (what the register, the reports and the public statistics count); its free texts
  (subject, description, location, findings, response) are redacted (core.redaction) and the
  company name cleared;
- the texts and data of its timeline events are redacted the same way. This is the one
  rewrite the append-only timeline allows: erasure required by law, not a correction, and the
  ANONYMISED event it writes records that it happened and how much was removed;
- its attachments are deleted, rows now and files when the transaction commits;
- other apps purge their rows of the case through the purgers they register here (outbox,
  inbound messages and conversations, service ratings), the way `notify` hands events to the
  outbox: `complaints` never imports them.
Apps also register "expired" purgers for rows that hold personal data without a case (delivery
reports, messages never turned into a case, generated report files), run by age.

Identity-access log rows stay: they hold only who looked at which reporter row, and when.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.complaints.events import complaint_anonymised_event
from aduan.complaints.models import Attachment, CaseEvent, Complaint, Reporter
from aduan.complaints.search import erased_statistics_refresh
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core import jobs
from aduan.core.exceptions import ApplicationError, NotFound
from aduan.core.redaction import Redactor
from aduan.core.validators import format_phone_local
from aduan.offices.models import Office

logger = logging.getLogger(__name__)

# Event data under these keys are system identifiers and stay as they are.
KEEP_DATA_KEYS = frozenset({
    "channel", "channel_kind", "provider", "inbound_id", "lapor_tracking_id", "register_number",
    "agency", "agency_name", "unit", "unit_name", "seed_no", "field", "score", "proven",
    "checklist", "structured", "synthetic",
})
# Event data under these keys are contact details or carry them (a WhatsApp message id
# encodes the sender's number): removed whole.
DROP_DATA_KEYS = frozenset({
    "provider_message_id", "sender", "sender_name", "phone", "email", "recipient", "nik",
})


class RetentionNotExpired(ApplicationError):
    code = "retention_not_expired"
    status_code = 409
    default_message = _("Masa retensi data pribadi pelapor ini belum berakhir.")


class CasePurger(Protocol):
    """Removes personal data from an app's rows of these cases; returns the rows changed."""

    def __call__(self, *, complaint_ids: list[int], redact: Redactor) -> int: ...


class ExpiredPurger(Protocol):
    """Removes personal data from an app's rows of `office` that belong to no case and are
    older than `before`; with `dry_run`, only counts them."""

    def __call__(self, *, office: Office, before: dt.datetime, dry_run: bool) -> int: ...


_case_purgers: dict[str, CasePurger] = {}
_expired_purgers: dict[str, ExpiredPurger] = {}
# The tables the case purgers rewrite, whose statistics are gathered again after an erasure
# (`statistics_refresh`).
_purged_tables: set[str] = set()


def register_case_purger(name: str, purger: CasePurger, *,
                         models: tuple[type[Model], ...] = ()) -> None:
    """Called from an app's AppConfig.ready(); `name` labels its count in the event data;
    `models`: those whose rows the purger changes or deletes (PostgreSQL keeps some of their
    values in its statistics, gathered again after an erasure)."""
    _case_purgers[name] = purger
    _purged_tables.update(model._meta.db_table for model in models)


# The background job that gathers the statistics again after an erasure on request
# (complaints/tasks.py provides it).
STATISTICS_JOB = "complaints.erased_statistics"


def statistics_refresh() -> None:
    """After an erasure has committed: the statistics of every table it rewrote gathered again
    (search.erased_statistics_refresh), so that no erased value stays in them."""
    erased_statistics_refresh(sorted({Reporter._meta.db_table, Complaint._meta.db_table,
                                      CaseEvent._meta.db_table, *_purged_tables}))


def _statistics_refresh_queue() -> None:
    """Have the worker gather the statistics again once this erasure has committed
    (STATISTICS_JOB): ANALYZE of the tables it rewrote reads about 30,000 rows each, some
    hundreds of milliseconds apiece at scale, which the officer fulfilling the request must not
    wait for. With the task queue in this database the task commits or rolls back with the
    erasure; with another queue it is sent once the erasure has committed. A queue that
    refuses is logged: the values leave the statistics at autovacuum's next ANALYZE (or the
    next retention run's refresh) instead."""
    if connection.vendor != "postgresql":
        return
    task, backend, in_database = jobs.job_backend(STATISTICS_JOB)

    def enqueue() -> None:
        try:
            with transaction.atomic():
                backend.enqueue(task, (), {})
        except Exception:
            logger.exception("could not queue the statistics' refresh after an erasure")

    if in_database:
        enqueue()
    else:
        transaction.on_commit(enqueue)


def register_expired_purger(name: str, purger: ExpiredPurger) -> None:
    _expired_purgers[name] = purger


# --------------------------------------------------------------------------------------------
# Who is due
# --------------------------------------------------------------------------------------------


def retention_cutoff(office: Office, *, now: dt.datetime | None = None) -> dt.date:
    """The first day still inside the office's retention period: a case settled, and last
    touched, before this day has passed it. 29 February falls back to the 28th."""
    today = timezone.localdate(now or timezone.now())
    year = today.year - office.retention_years
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _cutoffs(now: dt.datetime) -> dict[int, dt.date]:
    return {office.pk: retention_cutoff(office, now=now)
            for office in Office.objects.only("pk", "retention_years")}


def reporter_list_expired(*, now: dt.datetime | None = None) -> QuerySet[Reporter]:
    """Reporters not yet anonymised whose every complaint is settled and whose every complaint
    was settled and last touched before its office's cutoff (oldest reporter first)."""
    cutoffs = _cutoffs(now or timezone.now())
    if not cutoffs:
        return Reporter.objects.none()
    expired = Q()
    still_kept = ~Q(status__in=SETTLED_STATUSES) | Q(settled_on__isnull=True)
    recent = Q()
    for office_id, cutoff in cutoffs.items():
        expired |= Q(office_id=office_id, settled_on__lt=cutoff)
        still_kept |= Q(office_id=office_id, settled_on__gte=cutoff)
        recent |= Q(complaint__office_id=office_id, created_at__gte=_start_of(cutoff))
    candidates = Complaint.objects.filter(expired, status__in=SETTLED_STATUSES)
    return (
        Reporter.objects.filter(anonymised_at__isnull=True,
                                pk__in=candidates.values("reporter_id"))
        .exclude(Exists(Complaint.objects.filter(still_kept, reporter_id=OuterRef("pk"))))
        .exclude(Exists(CaseEvent.objects.filter(recent, complaint__reporter_id=OuterRef("pk"))))
        .order_by("pk")
    )


# --------------------------------------------------------------------------------------------
# Anonymising
# --------------------------------------------------------------------------------------------


@dataclass
class Anonymisation:
    """What one reporter's anonymisation removed (counts only)."""

    reporter: Reporter
    complaints: int = 0
    attachments: int = 0
    events_redacted: int = 0
    purged: dict[str, int] = field(default_factory=dict)


def _contact_values(reporter: Reporter) -> list[str]:
    phone = reporter.phone
    values = [phone, format_phone_local(phone), reporter.email, reporter.nik]
    if phone.startswith("+62"):
        values.append("0" + phone.removeprefix("+62"))
    return values


def _redactor_for(reporter: Reporter, complaints: list[Complaint]) -> Redactor:
    """Everything the reporter is known by, for the free text: identity, address, company."""
    values = [*_contact_values(reporter), reporter.address,
              *(c.company_name for c in complaints)]
    return Redactor(values=values, names=[reporter.name])


def _identity_redactor_for(reporter: Reporter) -> Redactor:
    """Identity only (name, phone, e-mail, NIK and the shapes of such data), for the subject and
    the place the register shows: a place or a company named there says what the case was
    about, not who filed it, and removing them made the register unreadable."""
    return Redactor(values=_contact_values(reporter), names=[reporter.name])


def _redact_event_data(data: Any, redact: Redactor) -> Any:
    if not isinstance(data, dict):
        return redact.data(data)
    return {key: "" if key in DROP_DATA_KEYS else
            value if key in KEEP_DATA_KEYS else redact.data(value, keep=KEEP_DATA_KEYS)
            for key, value in data.items()}


def _redact_events(complaint: Complaint, redact: Redactor) -> int:
    """Redact the texts of the case's timeline; returns the number of events changed."""
    changed = 0
    for pk, body, data in CaseEvent.objects.filter(complaint=complaint).values_list(
            "pk", "body", "data"):
        new_body, new_data = redact(body), _redact_event_data(data, redact)
        if (new_body, new_data) != (body, data):
            # CaseEvent.save() refuses changes (append-only); erasure by law is the exception,
            # written as a queryset update and recorded by the ANONYMISED event.
            CaseEvent.objects.filter(pk=pk).update(body=new_body, data=new_data)
            changed += 1
    return changed


def _delete_attachments(complaint: Complaint) -> int:
    """Delete the case's attachments: rows now, files once the transaction has committed (a
    rollback must not leave rows pointing at deleted files)."""
    rows = Attachment.objects.filter(complaint=complaint)
    names = [name for name in rows.values_list("file", flat=True) if name]
    count, _deleted = rows.delete()
    storage = Attachment._meta.get_field("file").storage

    def delete_files() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("retention: attachment file %s could not be deleted", name)

    if names:
        transaction.on_commit(delete_files)
    return count


def _redact_complaint(complaint: Complaint, redact: Redactor, identity: Redactor) -> None:
    complaint.subject = identity(complaint.subject)[:300]
    complaint.description = redact(complaint.description)
    complaint.location = identity(complaint.location)[:300]
    complaint.findings_note = redact(complaint.findings_note)
    complaint.response_text = redact(complaint.response_text)
    complaint.company_name = ""
    complaint.save(update_fields=["subject", "description", "location", "findings_note",
                                  "response_text", "company_name", "updated_at"])


@transaction.atomic
def reporter_anonymise(*, reporter_id: int, at: dt.datetime | None = None) -> Anonymisation:
    """Anonymise one reporter whose retention period has ended (see the module docstring).

    Locks the reporter and their complaints, then checks again that they are due (a message or
    a reopening since they were listed keeps them), else raises RetentionNotExpired. Writes one
    internal ANONYMISED event per complaint; sends nothing. Already anonymised: does nothing.
    """
    at = at or timezone.now()
    reporter, complaints = _lock(reporter_id)
    if reporter.anonymised_at is not None:
        return Anonymisation(reporter=reporter)
    if not reporter_list_expired(now=at).filter(pk=reporter.pk).exists():
        raise RetentionNotExpired()
    return _anonymise(reporter, complaints, at=at, data={})


class CaseStillOpen(ApplicationError):
    code = "case_still_open"
    status_code = 409
    default_message = _("Pelapor ini masih mempunyai pengaduan yang sedang diproses; data "
                        "pribadinya baru dapat dihapus setelah pengaduan selesai.")


@transaction.atomic
def reporter_anonymise_on_request(*, reporter_id: int, reason: dict[str, Any],
                                  at: dt.datetime | None = None) -> Anonymisation:
    """Anonymise one reporter now because they asked for erasure (UU 27/2022 art. 8, 16): the
    same removal as at the end of retention, whatever the period left. Refused while any of
    their cases is still open (CaseStillOpen): the case needs its contact to be answered.
    `reason` (e.g. the request's number) is recorded on each case's ANONYMISED event."""
    at = at or timezone.now()
    reporter, complaints = _lock(reporter_id)
    if reporter.anonymised_at is not None:
        return Anonymisation(reporter=reporter)
    if any(c.status not in SETTLED_STATUSES for c in complaints):
        raise CaseStillOpen()
    _statistics_refresh_queue()
    return _anonymise(reporter, complaints, at=at, data={"on_request": reason})


def _lock(reporter_id: int) -> tuple[Reporter, list[Complaint]]:
    reporter = Reporter.objects.select_for_update().filter(pk=reporter_id).first()
    if reporter is None:
        raise NotFound()
    complaints = list(Complaint.objects.select_for_update(of=("self",))
                      .select_related("office").filter(reporter=reporter).order_by("pk"))
    return reporter, complaints


def _anonymise(reporter: Reporter, complaints: list[Complaint], *, at: dt.datetime,
               data: dict[str, Any]) -> Anonymisation:
    result = Anonymisation(reporter=reporter)
    redact = _redactor_for(reporter, complaints)
    identity = _identity_redactor_for(reporter)
    for complaint in complaints:
        attachments = _delete_attachments(complaint)
        events = _redact_events(complaint, redact)
        _redact_complaint(complaint, redact, identity)
        purged = {name: purger(complaint_ids=[complaint.pk], redact=redact)
                  for name, purger in _case_purgers.items()}
        complaint_anonymised_event(complaint, at=at, data={
            "retention_years": complaint.office.retention_years,
            "attachments_deleted": attachments, "events_redacted": events, "purged": purged,
            **data})
        result.complaints += 1
        result.attachments += attachments
        result.events_redacted += events
        for name, count in purged.items():
            result.purged[name] = result.purged.get(name, 0) + count
    for name in ("name", "address", "occupation", "phone", "email", "nik_encrypted",
                 "nik_index"):
        setattr(reporter, name, "")
    reporter.anonymised_at = at
    reporter.save(update_fields=["name", "address", "occupation", "phone", "email",
                                 "nik_encrypted", "nik_index", "anonymised_at", "updated_at"])
    return result


@dataclass
class RetentionRun:
    """The counts of one run (or, with `dry_run`, what a run would do)."""

    dry_run: bool = False
    reporters: int = 0
    complaints: int = 0
    attachments: int = 0
    events_redacted: int = 0
    purged: dict[str, int] = field(default_factory=dict)

    def add_purged(self, name: str, count: int) -> None:
        self.purged[name] = self.purged.get(name, 0) + count

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "reporters": self.reporters,
                "complaints": self.complaints, "attachments": self.attachments,
                "events_redacted": self.events_redacted, "purged": dict(self.purged)}


def reporters_anonymise_expired(*, now: dt.datetime | None = None, dry_run: bool = False,
                                limit: int | None = None) -> RetentionRun:
    """Anonymise every reporter due (at most `limit`), each in its own transaction, then run
    the expired purgers for every office. With `dry_run`, count and change nothing."""
    now = now or timezone.now()
    run = RetentionRun(dry_run=dry_run)
    due = reporter_list_expired(now=now)
    if dry_run:
        ids = due.values("pk")[:limit]
        run.reporters = due[:limit].count()
        run.complaints = Complaint.objects.filter(reporter_id__in=ids).count()
        run.attachments = Attachment.objects.filter(complaint__reporter_id__in=ids).count()
    else:
        for pk in list(due.values_list("pk", flat=True)[:limit]):
            try:
                result = reporter_anonymise(reporter_id=pk, at=now)
            except RetentionNotExpired:
                continue  # touched since it was listed; a later run looks again
            run.reporters += 1
            run.complaints += result.complaints
            run.attachments += result.attachments
            run.events_redacted += result.events_redacted
            for name, count in result.purged.items():
                run.add_purged(name, count)
        if run.reporters:
            statistics_refresh()  # once for the run (itself a task), not per reporter
    for office in Office.objects.order_by("pk"):
        before = _start_of(retention_cutoff(office, now=now))
        for name, purger in _expired_purgers.items():
            run.add_purged(name, purger(office=office, before=before, dry_run=dry_run))
    return run

