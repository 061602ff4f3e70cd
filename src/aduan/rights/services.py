"""Data-subject requests: verify the reporter, register the request with its 72-hour limit,
answer it on the reporter's channel, and carry out a correction, a restriction or an erasure.

A reporter asks through the portal with two things they hold: the tracking code (which
finds the case) and a one-time code sent to the phone or e-mail address the office answers
them on (which proves the channel is theirs). Knowing the tracking code alone asks for
nothing; nothing public names a reporter. An officer may register a request on the reporter's
behalf (a letter, a visit) after checking their identity in person.

Every act writes an audit record (aduan.audit, kind `personal_data`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from aduan.accounts.models import User
from aduan.audit.services import audit_personal_data
from aduan.complaints.access import access_complaint
from aduan.complaints.events import complaint_corrected_event
from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.retention import reporter_anonymise_on_request
from aduan.complaints.selectors import complaint_get_by_tracking_code
from aduan.complaints.submissions import submission_register_waiting
from aduan.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from aduan.core.text import clean_text
from aduan.core.validators import normalize_phone
from aduan.notifications.models import TemplateCode
from aduan.notifications.rendering import format_date
from aduan.notifications.services import outbox_write_to_reporter, reporter_destinations
from aduan.rights.models import (
    ANSWER_WITHIN,
    DataRequest,
    RequestChallenge,
    RequestKind,
    RequestStatus,
    RequestVia,
)

CHALLENGE_MINUTES = 15
CHALLENGE_ATTEMPTS = 5
# One-time codes sent per case within an hour: enough for a reporter who mistyped, too few to
# flood their phone.
CHALLENGES_PER_HOUR = 3
MAX_DETAIL = 5000
MAX_ANSWER = 10000
_HASH_SALT = "aduan.rights.challenge"


class NoReporterChannel(ApplicationError):
    code = "no_reporter_channel"
    status_code = 422
    default_message = _lazy(
        "Pengaduan ini tidak mempunyai nomor telepon atau alamat e-mail untuk mengirim kode "
        "verifikasi. Ajukan permintaan Anda langsung ke kantor kami (datang atau surat) dengan "
        "membawa kartu identitas.")


class TooManyCodes(ApplicationError):
    code = "too_many_codes"
    status_code = 429
    default_message = _lazy(
        "Kode verifikasi untuk pengaduan ini sudah dikirim beberapa kali dalam satu jam "
        "terakhir. Gunakan kode yang terakhir diterima, atau coba lagi satu jam lagi.")


class ChallengeFailed(ApplicationError):
    code = "challenge_failed"
    status_code = 422
    default_message = _lazy(
        "Kode verifikasi salah, sudah dipakai atau sudah kedaluwarsa. Periksa pesan terakhir "
        "yang Anda terima, atau minta kode baru.")


class RequestClosed(ApplicationError):
    code = "request_closed"
    status_code = 409
    default_message = _lazy("Permintaan ini sudah dijawab.")


class ReporterErased(ApplicationError):
    code = "reporter_erased"
    status_code = 409
    default_message = _lazy(
        "Data pribadi pelapor ini sudah dianonimkan; tidak ada lagi data pribadi yang dapat "
        "dilihat, diperbaiki atau dihapus.")


# --------------------------------------------------------------------------------------------
# The portal's second factor
# --------------------------------------------------------------------------------------------


def _hash(challenge_id: int, code: str) -> str:
    return salted_hmac(_HASH_SALT, f"{challenge_id}:{code}", algorithm="sha256").hexdigest()


def challenge_start(*, tracking_code: str, now: dt.datetime | None = None) -> RequestChallenge:
    """Send a one-time code to the reporter of the case with `tracking_code`, on the channels
    the office answers them on. NotFound for an unknown, secret or anonymised case (the same
    answer as the tracking page); NoReporterChannel when there is no contact; TooManyCodes
    past CHALLENGES_PER_HOUR for the case.

    A web submission accepted and not yet registered (decision 0015) is registered first, in
    this request: the reporter's data is then a case's, which every request acts on (access,
    correction, restriction, erasure), not an encrypted row outside the rights handling."""
    try:
        return _challenge_start(tracking_code, now)
    except NotFound:
        if not submission_register_waiting(tracking_code):
            raise
    return _challenge_start(tracking_code, now)


@transaction.atomic
def _challenge_start(tracking_code: str, now: dt.datetime | None) -> RequestChallenge:
    now = now or timezone.now()
    complaint = complaint_get_by_tracking_code(tracking_code,
                                               related=("office", "channel", "reporter"))
    if complaint.reporter.anonymised_at is not None:
        raise NotFound()
    # Lock the case so concurrent requests count each other.
    Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint.pk).first()
    recent = RequestChallenge.objects.filter(
        complaint=complaint, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= CHALLENGES_PER_HOUR:
        raise TooManyCodes()
    destinations = reporter_destinations(complaint)
    if not destinations:
        raise NoReporterChannel()
    secret = f"{secrets.randbelow(10 ** 6):06d}"
    challenge = RequestChallenge.objects.create(
        complaint=complaint, code_hash="-", expires_at=now + dt.timedelta(
            minutes=CHALLENGE_MINUTES))
    challenge.code_hash = _hash(challenge.pk, secret)
    challenge.save(update_fields=["code_hash", "updated_at"])
    # The code forgets itself from the outbox once sent.
    outbox_write_to_reporter(
        complaint, TemplateCode.RIGHTS_CODE, {"code": secret, "minutes": str(CHALLENGE_MINUTES)},
        dedupe_key=f"rights-code-{challenge.pk}", forget_after_delivery=True,
        destinations=destinations)
    return challenge


def challenge_verify_and_register(*, challenge_id: int, code: str, kind: str, detail: str,
                                  now: dt.datetime | None = None) -> DataRequest:
    """The reporter typed the one-time code: register their request. Each wrong code uses up
    one of CHALLENGE_ATTEMPTS (committed, although the call then fails); an expired or spent
    challenge fails. Single use: the same form posted again (a double click, a replay) with
    the right code answers with the request it registered, never a second one."""
    now = now or timezone.now()
    _check_kind(kind)
    code = "".join(ch for ch in (code or "")[:20] if ch.isdigit())
    with transaction.atomic():
        challenge = (RequestChallenge.objects.select_for_update()
                     .filter(pk=challenge_id).first())
        if challenge is None or challenge.attempts >= CHALLENGE_ATTEMPTS:
            raise ChallengeFailed()
        ok = len(code) == 6 and constant_time_compare(challenge.code_hash,
                                                       _hash(challenge.pk, code))
        if ok and challenge.used_at is not None:
            existing = DataRequest.objects.filter(challenge=challenge).first()
            if existing is not None:
                return existing
        if not ok or challenge.used_at is not None or challenge.expires_at <= now:
            challenge.attempts += 1
            challenge.save(update_fields=["attempts", "updated_at"])
        else:
            challenge.used_at = now
            challenge.save(update_fields=["used_at", "updated_at"])
            complaint = Complaint.objects.select_related("office", "channel", "reporter").get(
                pk=challenge.complaint_id)
            request = data_request_register(complaint=complaint, kind=kind, detail=detail,
                                            via=RequestVia.PORTAL, actor=None, at=now)
            request.challenge = challenge
            request.save(update_fields=["challenge", "updated_at"])
            return request
    raise ChallengeFailed()


# --------------------------------------------------------------------------------------------
# Registering and answering
# --------------------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in RequestKind.values:
        raise ValidationFailed(_("Pilih jenis permintaan."), extra={"errors": {
            "kind": [_("Pilih jenis permintaan.")]}})


def _require_team(actor: User) -> int:
    """The actor's office: requests are handled by an office's complaint team only."""
    if not actor.is_complaint_team or actor.office_id is None:
        raise PermissionDenied(_("Hanya petugas dan ketua tim pengaduan yang menangani "
                                 "permintaan data pribadi."))
    return actor.office_id


def _context(request: DataRequest) -> dict[str, Any]:
    local = timezone.localtime
    return {"request_number": request.number,
            "request_kind": str(RequestKind(request.kind).label),
            "request_received": f"{format_date(local(request.received_at).date())} "
                                f"{local(request.received_at):%H.%M}",
            "request_due": f"{format_date(local(request.due_at).date())} "
                           f"{local(request.due_at):%H.%M}"}


@transaction.atomic
def data_request_register(*, complaint: Complaint, kind: str, detail: str, via: str,
                          actor: User | None, at: dt.datetime | None = None) -> DataRequest:
    """Register a request about the personal data of `complaint`'s reporter, due 72 hours
    later; the reporter is told on their channel. `actor`: the officer registering it on the
    reporter's behalf (who must see the case), None for the portal."""
    at = at or timezone.now()
    _check_kind(kind)
    if actor is not None:
        _require_team(actor)
        complaint = access_complaint(actor, complaint.pk)
    reporter = Reporter.objects.select_for_update().get(pk=complaint.reporter_id)
    if reporter.anonymised_at is not None:
        raise ReporterErased()
    detail = clean_text(detail or "")[:MAX_DETAIL]
    request = DataRequest.objects.create(
        office_id=complaint.office_id, number=f"tmp-{secrets.token_hex(8)}", reporter=reporter,
        complaint=complaint, kind=kind, via=via, detail=detail, received_at=at,
        due_at=at + ANSWER_WITHIN, registered_by=actor)
    request.number = f"HDP/{timezone.localtime(at).year}/{request.pk:05d}"
    request.save(update_fields=["number", "updated_at"])
    audit_personal_data(user=actor, office_id=complaint.office_id,
                        action="rights.request.registered", object_type="data_request",
                        object_id=str(request.pk),
                        reason=f"{request.number} {kind} via {via} ({complaint.register_number})")
    outbox_write_to_reporter(complaint, TemplateCode.RIGHTS_RECEIVED, _context(request),
                             dedupe_key=f"rights-received-{request.pk}")
    return request


@dataclass
class Correction:
    """New values for a correction request; empty strings leave a field as it is."""

    name: str = ""
    address: str = ""
    occupation: str = ""
    phone: str = ""
    email: str = ""

    def changes(self, reporter: Reporter) -> dict[str, str]:
        """The fields that change, validated as at registration (services.reporter_build)."""
        new: dict[str, str] = {}
        for field, limit in (("name", 200), ("occupation", 200), ("address", 2000)):
            value = clean_text(getattr(self, field), multiline=field == "address")[:limit]
            if value and value != getattr(reporter, field):
                new[field] = value
        if self.phone.strip():
            try:
                phone = normalize_phone(self.phone)
            except DjangoValidationError as exc:
                raise ValidationFailed(exc.messages[0], extra={"errors": {
                    "phone": exc.messages}}) from None
            if phone != reporter.phone:
                new["phone"] = phone
        email = self.email.strip().lower()
        if email and email != reporter.email:
            try:
                validate_email(email)
            except DjangoValidationError as exc:
                raise ValidationFailed(exc.messages[0], extra={"errors": {
                    "email": exc.messages}}) from None
            new["email"] = email[:254]
        return new


@transaction.atomic
def data_request_answer(*, request_id: int, actor: User, answer: str, fulfil: bool,
                        correction: Correction | None = None,
                        at: dt.datetime | None = None) -> DataRequest:
    """Answer a request on the reporter's channel and, when `fulfil`, carry it out:

    - access: the answer is the data (the desk pre-fills it from what is stored);
    - correct: the reporter's fields in `correction` are changed, each with a CORRECTED event on
      the case (internal);
    - restrict: the reporter becomes confidential (identity shown to the complaint team only,
      and nothing derived from it anywhere else: docs/privacy.md);
    - erase: the reporter is anonymised now, as at the end of retention (refused while a case
      of theirs is open); the answer is written first and forgets its recipient once sent.

    Refusing (`fulfil` False) needs the reason in `answer`. Audited.
    """
    at = at or timezone.now()
    office_id = _require_team(actor)
    request = (DataRequest.objects.select_for_update(of=("self",))
               .select_related("complaint", "reporter")
               .filter(pk=request_id, office_id=office_id).first())
    if request is None:
        raise NotFound()
    if not request.is_open:
        raise RequestClosed()
    answer = clean_text(answer or "")[:MAX_ANSWER]
    if not answer:
        raise ValidationFailed(_("Tuliskan jawaban kepada pelapor."), extra={"errors": {
            "answer": [_("Tuliskan jawaban kepada pelapor.")]}})
    reporter = Reporter.objects.select_for_update().get(pk=request.reporter_id)
    if reporter.anonymised_at is not None:
        raise ReporterErased()
    complaint = access_complaint(actor, request.complaint_id)
    changed: list[str] = []
    if fulfil and request.kind == RequestKind.CORRECT:
        changes = (correction or Correction()).changes(reporter)
        if not changes:
            raise ValidationFailed(_("Isi data yang diperbaiki."))
        for field, value in changes.items():
            complaint_corrected_event(complaint, actor=actor, field=f"reporter.{field}",
                                      old=getattr(reporter, field), new=value,
                                      reason=_("Permintaan perbaikan data pribadi %(number)s")
                                      % {"number": request.number})
            setattr(reporter, field, value)
        reporter.save(update_fields=[*changes, "updated_at"])
        changed = sorted(changes)
    elif fulfil and request.kind == RequestKind.RESTRICT and not reporter.is_confidential:
        reporter.is_confidential = True
        reporter.save(update_fields=["is_confidential", "updated_at"])
        changed = ["is_confidential"]
    request.status = RequestStatus.DONE if fulfil else RequestStatus.REFUSED
    request.answer = answer
    request.answered_at = at
    request.handled_by = actor
    request.save(update_fields=["status", "answer", "answered_at", "handled_by", "updated_at"])
    erase = fulfil and request.kind == RequestKind.ERASE
    # After a correction the answer goes to the corrected contact.
    outbox_write_to_reporter(complaint, TemplateCode.RIGHTS_ANSWER,
                             {**_context(request), "message": answer},
                             dedupe_key=f"rights-answer-{request.pk}",
                             forget_after_delivery=erase)
    if erase:
        reporter_anonymise_on_request(reporter_id=reporter.pk, at=at,
                                      reason={"request": request.number})
    audit_personal_data(
        user=actor, office_id=request.office_id,
        action=f"rights.request.{'fulfilled' if fulfil else 'refused'}",
        object_type="data_request", object_id=str(request.pk),
        reason=f"{request.number} {request.kind}"
               + (f" changed: {', '.join(changed)}" if changed else "")
               + (" erased" if erase else ""))
    return request
