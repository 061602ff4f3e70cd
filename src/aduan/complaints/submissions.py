"""Exactly-once submission: a single-use key per submission (web and desk form tokens, the
API's `Idempotency-Key`). The key row is written in the transaction that registers the
complaint, under a unique constraint, so of two identical requests racing (a double click,
a replay, a client retrying after a timeout) one registers and the other gets its receipt.

A web submission without attachments is accepted as that one row and registered by the worker
(docs/decisions/0015-web-submission-accepted-then-registered.md): `submission_accept` writes the
row (the form's cleaned fields encrypted, the tracking code, the time of receipt) and, with the
database task queue, its task row, in one short transaction; `submission_register` (the task
REGISTER_JOB) registers it with `complaint_register` and links the case in the case's own
transaction, at most once; `submissions_sweep` (periodic) queues again the rows left waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aduan.complaints import tracking
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.complaints.selectors import tracked_get
from aduan.complaints.services import ReporterInput, complaint_register, reporter_build
from aduan.core import crypto, jobs
from aduan.core.exceptions import NotFound, ValidationFailed
from aduan.core.fastinsert import insert
from aduan.offices.models import Channel, Office, ServiceType

MAX_KEY = 128
# The worker's task that registers an accepted submission (complaints/tasks.py).
REGISTER_JOB = "complaints.register_submission"

logger = logging.getLogger(__name__)


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"


class SubmissionPending(Exception):
    """A replayed key whose first submission was accepted and is not registered yet."""

    def __init__(self, key: SubmissionKey) -> None:
        super().__init__(key.pk)
        self.key = key


@dataclass(frozen=True)
class Once:
    """The key a submission carries; `body_sha256` only where the body must match (API)."""

    scope: str
    key: str
    body_sha256: str = ""


@dataclass(frozen=True)
class Outcome:
    complaint: Complaint
    replayed: bool
    response: dict[str, Any]


def submission_find(once: Once) -> SubmissionKey | None:
    found = (SubmissionKey.objects.select_related("complaint")
             .filter(scope=once.scope, key=once.key[:MAX_KEY]).first())
    if found is not None:
        _check_same_body(found.body_sha256, once)
    return found


def _check_same_body(body_sha256: str, once: Once) -> None:
    """IdempotencyKeyReused when the key's row was written for another body (API)."""
    if body_sha256 != once.body_sha256:
        raise IdempotencyKeyReused(
            _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru "
              "untuk pengaduan baru."))


def submission_key_used(once: Once) -> int | None:
    """The id of the row of `once`'s key if the key was used (a web form posted again), else
    None; IdempotencyKeyReused as `submission_find`. One statement, not through the ORM:
    compiling `submission_find`'s join of the case was half the CPU of a web submission
    refused by a rate limit, whose replay check this is (issue 17)."""
    meta = SubmissionKey._meta
    quote = connection.ops.quote_name  # names from model metadata; values are parameters
    columns = [quote(meta.get_field(name).column or name)  # type: ignore[union-attr]
               for name in (meta.pk.name, "body_sha256", "scope", "key")]
    sql = "SELECT {}, {} FROM {} WHERE {} = %s AND {} = %s".format(  # noqa: S608
        *columns[:2], quote(meta.db_table), *columns[2:])
    with connection.cursor() as cursor:
        cursor.execute(sql, [once.scope, once.key[:MAX_KEY]])
        row = cursor.fetchone()
    if row is None:
        return None
    _check_same_body(row[1], once)
    return int(row[0])


def submission_record(once: Once | None, complaint: Complaint,
                      response: dict[str, Any] | None = None) -> None:
    """Call inside the registering transaction; raises IntegrityError if the key is taken."""
    if once is None:
        return
    # core.fastinsert: the same row as objects.create() without the ORM compiling the INSERT
    # (about a tenth of a web submission's CPU went to this one row, issue 17); a taken key
    # raises the same IntegrityError.
    insert(SubmissionKey(scope=once.scope, key=once.key[:MAX_KEY],
                         body_sha256=once.body_sha256, complaint=complaint,
                         response=response or {}))


def submit_once(once: Once | None, register: Callable[[], tuple[Complaint, dict[str, Any]]]
                ) -> Outcome:
    """Run `register` (which calls `submission_record` in its transaction) unless the key was
    used already; the first submission's outcome on replay."""
    if once is None:
        complaint, response = register()
        return Outcome(complaint, False, response)
    # No look-up first: a replay is rare, and its key's unique row stops it in the
    # transaction (which rolls back, numbers and files included).
    try:
        complaint, response = register()
    except IntegrityError:
        # The key was used: by an earlier request, or by a twin whose transaction committed
        # while ours waited.
        if (found := submission_find(once)) is None:
            raise
        if found.complaint is None:
            raise SubmissionPending(found) from None
        return Outcome(found.complaint, True, found.response)
    return Outcome(complaint, False, response)


# --- Accepted now, registered by the worker ------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """An accepted web submission: its key row (pending or registered), and whether this
    request was a replay of an earlier one."""

    key: SubmissionKey
    replayed: bool


def submission_enqueue(key_id: int) -> bool:
    """Queue the registration of an accepted row (RQ, the immediate backend). A queue that
    refuses (Redis down) is logged: the row is durable and `submissions_sweep` queues it."""
    try:
        jobs.job(REGISTER_JOB).enqueue(key_id)
    except Exception:
        logger.warning("submission %s accepted but not queued; the sweep will queue it",
                       key_id, exc_info=True)
        return False
    return True


def submission_accept(*, once: Once, office_id: int, fields: dict[str, Any]) -> Accepted:
    """Accept a validated web submission as ONE durable row: `fields` (JSON-able: the form's
    cleaned fields, the channel's and service type's ids) encrypted as one blob, a tracking
    code issued now, the time of receipt and the request's language (the receipt's). With the
    database task queue its task row commits with it (BEGIN, two INSERTs, COMMIT); otherwise the
    task is queued after the commit. The form token's unique row answers a replay or a double
    click with the first submission (`Accepted.replayed`), pending or registered.

    Call outside any transaction of the caller's: the registration is queued when this one
    commits."""
    now = timezone.now()
    row = SubmissionKey(
        scope=once.scope, key=once.key[:MAX_KEY], body_sha256=once.body_sha256,
        office_id=office_id, tracking_code=tracking.new_tracking_code(), received_at=now,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        payload=crypto.encrypt(json.dumps(fields, separators=(",", ":"))),
        created_at=now, updated_at=now)
    task, backend, in_database = jobs.job_backend(REGISTER_JOB)
    try:
        with transaction.atomic():
            insert(row)
            if in_database:
                backend.enqueue(task, (row.pk,), {})
    except IntegrityError:
        # The token was used: by an earlier request, or a twin whose transaction committed
        # while ours waited.
        if (found := submission_find(once)) is None:
            raise
        return Accepted(found, True)
    if not in_database:
        submission_enqueue(row.pk)
    return Accepted(row, False)


def submission_fields(*, channel_id: int, subject: str, description: str, company_name: str,
                      service_type_id: int | None, reporter: ReporterInput) -> dict[str, Any]:
    """What an accepted row carries (encrypted) to register the case later."""
    return {"v": 1, "channel": channel_id, "subject": subject, "description": description,
            "company_name": company_name, "service_type": service_type_id,
            "reporter": asdict(reporter)}


def _register_row(row: SubmissionKey, fields: dict[str, Any]) -> Complaint:
    if row.office_id is None:
        raise ValueError("an accepted submission without its office")
    office = Office.objects.get(pk=row.office_id)
    channel = Channel.objects.get(pk=fields["channel"], office=office)
    service_type = (ServiceType.objects.get(pk=fields["service_type"], office=office)
                    if fields.get("service_type") else None)
    # A web node whose clock runs ahead of the worker's stamped a moment still to come for
    # the worker, which the registration refuses (a future date): never later than now.
    received_at = min(row.received_at or row.created_at, timezone.now())
    # Consent was given when the form was sent.
    reporter = reporter_build(data=ReporterInput(**fields["reporter"]), at=received_at)
    return complaint_register(
        office=office, channel=channel, subject=fields["subject"],
        description=fields["description"], reporter=reporter, service_type=service_type,
        company_name=fields.get("company_name", ""), received_at=received_at,
        tracking_code=row.tracking_code or "",
        within=lambda complaint: submission_link(row, complaint))


def submission_register(key_id: int) -> Complaint | None:
    """Register the accepted row `key_id` with `complaint_register` (gapless number, RECEIVED
    event, figures, the receipt in the outbox in the row's language, follow-ups) and link the
    row to the case in the case's transaction (`submission_link`), at most once:
    the row is locked (PostgreSQL: FOR UPDATE; SQLite: the transaction's writer lock) and a
    row already linked is left alone, so a duplicate delivery or a run after a crash finds the
    case and does nothing. The case's own transaction is a savepoint in this one: the link
    commits with the case or not at all. A failure is counted on the row with its error (in a
    transaction of its own, without the reporter's data) and raised as SubmissionNotRegistered,
    so the task fails visibly; the sweep retries the row until `ADUAN_SUBMISSION_MAX_ATTEMPTS`. Returns the new case, or None when there was
    nothing to do."""
    fields: Any = None  # the decrypted payload, once read
    try:
        with transaction.atomic():
            row = (SubmissionKey.objects.select_for_update()
                   .filter(pk=key_id, complaint__isnull=True).first())
            if row is None:
                return None
            fields = json.loads(crypto.decrypt(row.payload) or "null")
            if not isinstance(fields, dict):
                raise ValueError("the submission's payload cannot be read (a key missing?)")
            with translation.override(row.language or settings.LANGUAGE_CODE):
                return _register_row(row, fields)
    except Exception as exc:
        error = _failure_without_identity(exc, fields if isinstance(fields, dict) else {})
        SubmissionKey.objects.filter(pk=key_id, complaint__isnull=True).update(
            attempts=F("attempts") + 1, error=error[:2000], updated_at=timezone.now())
        # Where it failed (code lines only), not the message: it may quote the reporter.
        logger.error("accepted submission %s could not be registered: %s\n%s", key_id, error,
                     "".join(traceback.format_tb(exc.__traceback__)))
        raise SubmissionNotRegistered(error) from None


class SubmissionNotRegistered(Exception):
    """An accepted row's registration failed; the message is the cause without the reporter's
    data (`_failure_without_identity`), so the task's stored failure quotes no one."""


def _failure_without_identity(exc: BaseException, fields: dict[str, Any]) -> str:
    """The failure as the row, the log and the task keep it: the exception's type and the
    first line of its message, the payload's own values masked. PostgreSQL quotes values on
    the following lines ('DETAIL: Failing row contains (name, phone, ...)', 'Key (...)=(...)');
    a message of ours may quote one on its first."""
    text = f"{type(exc).__name__}: {str(exc).partition(chr(10))[0]}"
    reporter: Any = fields.get("reporter")
    values = [v for v in (*fields.values(), *(reporter.values() if isinstance(reporter, dict)
                                              else ()))
              if isinstance(v, str) and len(v) >= 3]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "[...]")
    return text


def submission_link(row: SubmissionKey, complaint: Complaint) -> None:
    """In the case's transaction: the row names its case, and the reporter's data it carried
    is erased (the case holds it now, under the case's retention)."""
    SubmissionKey.objects.filter(pk=row.pk).update(
        complaint=complaint, payload="", error="", updated_at=timezone.now())
    row.complaint = complaint
    row.payload = ""


def _sweep_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.ADUAN_SUBMISSION_REQUEUE_SECONDS)


# The longest wait between two attempts of one row.
MAX_BACKOFF = dt.timedelta(hours=6)


def _due_again() -> Q:
    """Rows whose next attempt is due: ADUAN_SUBMISSION_REQUEUE_SECONDS after they were last
    queued or tried, doubled per failed attempt (60, 120, 240, 480 s... at most MAX_BACKOFF),
    so a transient failure (SQLite's writer lock past its timeout under a burst, a PostgreSQL
    failover) does not use up a row's ADUAN_SUBMISSION_MAX_ATTEMPTS within minutes and leave it
    to an operator (`retry_submissions`): the default five attempts span about half an hour."""
    now = timezone.now()
    base = dt.timedelta(seconds=settings.ADUAN_SUBMISSION_REQUEUE_SECONDS)
    due = Q(pk__in=[])
    for attempts in range(settings.ADUAN_SUBMISSION_MAX_ATTEMPTS):
        wait = min(base * 2 ** min(attempts, 20), MAX_BACKOFF)
        due |= Q(attempts=attempts, updated_at__lte=now - wait)
    return due


def _queue_again(ids: list[int]) -> int:
    """Queue the registration of each row; how many were queued."""
    if jobs.queues_in_transaction(REGISTER_JOB):
        with transaction.atomic():
            for key_id in ids:
                jobs.job(REGISTER_JOB).enqueue(key_id)
        return len(ids)
    return sum(submission_enqueue(key_id) for key_id in ids)


def submissions_sweep() -> dict[str, int]:
    """Queue again the accepted rows waiting longer than ADUAN_SUBMISSION_REQUEUE_SECONDS
    (a crash between commit and queueing, Redis down, a failed attempt), up to
    ADUAN_SUBMISSION_MAX_ATTEMPTS attempts each; those past it stay for staff (health,
    metrics, the admin) with their error. `updated_at` is when a row was last queued or tried,
    so a row is queued again at most once per period (a duplicate is harmless: the task finds
    the row linked and does nothing), the period doubling with each failed attempt
    (`_due_again`)."""
    ids = list(SubmissionKey.objects.filter(
        _due_again(), complaint__isnull=True, received_at__lte=_sweep_before(),
    ).order_by("received_at").values_list("pk", flat=True)[:500])
    SubmissionKey.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    return {"waiting": len(ids), "queued": _queue_again(ids)}


def submissions_retry_failed() -> dict[str, int]:
    """The rows past their last attempt get their attempts back and are queued again (an
    operator's command, once the cause of their error is fixed)."""
    failed = SubmissionKey.objects.filter(
        complaint__isnull=True, attempts__gte=settings.ADUAN_SUBMISSION_MAX_ATTEMPTS)
    ids = list(failed.values_list("pk", flat=True))
    SubmissionKey.objects.filter(pk__in=ids).update(attempts=0, updated_at=timezone.now())
    return {"failed": len(ids), "queued": _queue_again(ids)}


@dataclass(frozen=True)
class SubmissionBacklog:
    pending: int  # accepted, not registered yet
    failed: int  # past the last attempt: need a person
    oldest_pending_seconds: float | None


def submission_backlog() -> SubmissionBacklog:
    """Accepted web submissions not registered yet (one statement on the partial index)."""
    row = SubmissionKey.objects.filter(complaint__isnull=True).aggregate(
        n=Count("id"),
        failed=Count("id", filter=Q(attempts__gte=settings.ADUAN_SUBMISSION_MAX_ATTEMPTS)),
        first=Min("received_at"))
    oldest = row["first"]
    age = max((timezone.now() - oldest).total_seconds(), 0.0) if oldest else None
    return SubmissionBacklog(pending=row["n"] or 0, failed=row["failed"] or 0,
                             oldest_pending_seconds=age)


def submission_register_waiting(code: str) -> bool:
    """Register now, in this request, the accepted submission whose tracking code is `code` if
    it still waits for the worker (decision 0015), for a caller that must see the case and not
    a pending row: the data-subject rights (aduan.rights), whose access, correction and
    erasure act on the case. True when such a row was waiting (registered here, or by the
    worker meanwhile), False when there is none or its registration failed (the row keeps its
    error and the sweep's retries)."""
    try:
        row = tracked_get(code, case=False, pending=True)
    except NotFound:
        return False
    try:
        submission_register(row.pk)
    except SubmissionNotRegistered:
        return False
    return True


@dataclass(frozen=True)
class AcceptedReceipt:
    """What the receipt page shows of an accepted submission."""

    complaint_id: int | None
    tracking_code: str
    received_at: dt.datetime | None
    subject: str
    has_email: bool
    has_phone: bool


def submission_receipt(key_id: int) -> AcceptedReceipt | None:
    """The receipt of the web submission accepted as key row `key_id` (None if no such
    web row): its case once registered, else its code, time and what the reporter wrote
    (decrypted here for the reporter's own receipt only)."""
    row = (SubmissionKey.objects.filter(pk=key_id, scope="web")
           .only("id", "complaint_id", "tracking_code", "received_at", "payload").first())
    if row is None:
        return None
    fields: dict[str, Any] = {}
    if row.complaint_id is None and row.payload:
        loaded = json.loads(crypto.decrypt(row.payload) or "null")
        fields = loaded if isinstance(loaded, dict) else {}
    reporter = fields.get("reporter") or {}
    return AcceptedReceipt(
        complaint_id=row.complaint_id, tracking_code=row.tracking_code or "",
        received_at=row.received_at, subject=str(fields.get("subject", "")),
        has_email=bool(reporter.get("email")), has_phone=bool(reporter.get("phone")))
