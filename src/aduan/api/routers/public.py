"""Public endpoints: submit a complaint, follow it by tracking code, list service types."""

from __future__ import annotations

import hashlib
import json
import re

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja import Status as Reply
from ninja.files import UploadedFile
from ninja.params import Path

from aduan.api import presenters
from aduan.api.errors import ERRORS, ErrorEnvelope
from aduan.api.ratelimit import check_rate, client_address, contact_ident
from aduan.api.reporter_limits import limit_lookup, limit_reporter_action
from aduan.api.schemas import (
    ComplaintCreateIn,
    ComplaintReceipt,
    PendingStatus,
    PublicStatus,
    ReporterReopenIn,
    SatisfactionIn,
    ServiceTypeOut,
    TrackingCode,
)
from aduan.api.services import SubmissionInput, api_channel_for, complaint_submit_once
from aduan.complaints.attachments import attachment_check_size, attachment_display_name
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.complaints.selectors import (
    complaint_get_by_tracking_code,
    complaint_public_timeline,
    tracked_get,
)
from aduan.complaints.services import (
    ReporterInput,
    complaint_confirm_satisfaction,
    complaint_reopen,
)
from aduan.complaints.submissions import Once, submission_find
from aduan.complaints.workflow import Status
from aduan.core.exceptions import NotFound, ValidationFailed

router = Router(tags=["public"])


def _office(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The office the request names (offices/middleware.py): /instansi/<code>/api/v1/... or
    the office's host name, else the default office."""
    office = getattr(request, "office", None)
    if office is None:
        raise NotFound()
    return office


# A key the client chooses per complaint (a UUID, say): printable ASCII, at most 128 characters.
IDEMPOTENCY_KEY = re.compile(r"^[!-~]{1,128}$")


def _idempotency_key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if key and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed(_("Idempotency-Key harus 1-128 karakter ASCII yang terlihat."),
                               code="validation_failed")
    return key


@router.post("/complaints", response={201: ComplaintReceipt, 507: ErrorEnvelope, **ERRORS},
             summary="Submit a complaint", operation_id="ComplaintCreateApi")
def complaint_create(request: HttpRequest, data: Form[ComplaintCreateIn],
                     attachments: File[list[UploadedFile]] = None):  # type: ignore[no-untyped-def]
    """Register a complaint with optional attachments (PDF, JPG, PNG, WebP, DOCX or XLSX,
    checked by content, not by name; at most 5 files of 10 MB; images are stored re-encoded,
    without their metadata). The reporter receives the register number and tracking code
    like any other channel. Rate limited per client address and per reporter contact (429
    with Retry-After).

    Header `Idempotency-Key` (optional; 1-128 printable ASCII characters, e.g. a UUID) makes a
    retry safe: the same key with the same body returns the first answer again (201, no
    second complaint); the same key with another body is refused (422,
    `idempotency_key_reused`)."""
    check_rate("submit", client_address(request))
    unknown = sorted((set(request.POST) - set(ComplaintCreateIn.model_fields))
                     | (set(request.FILES) - {"attachments"}))
    if unknown:  # a misspelt field would otherwise lose what the reporter wrote
        raise ValidationFailed(
            _("Kolom tidak dikenal: %(fields)s.") % {"fields": ", ".join(
                repr(name)[:60] for name in unknown[:5])}, code="validation_failed")
    office = _office(request)
    for name in getattr(request, "oversized_files", []):
        attachment_check_size(name=attachment_display_name(name), size=2**62)
    files = list(attachments or [])
    once = None
    if idempotency_key := _idempotency_key(request):
        once = Once("api", idempotency_key, _fingerprint(data, files))
    # A client retrying with its key does not spend its reporter's quota again.
    if once is None or (found := submission_find(once)) is None:
        check_rate("submit_contact", contact_ident(data.phone, data.email))
    else:
        return _replayed(found.response, found.complaint)
    reporter = ReporterInput(
        name=data.name, nik=data.nik, address=data.address, occupation=data.occupation,
        phone=data.phone, email=data.email, is_anonymous=data.is_anonymous,
        is_confidential=data.is_confidential, consent=data.consent)
    outcome = complaint_submit_once(
        office=office, channel=api_channel_for(office),
        data=SubmissionInput(
            subject=data.subject, description=data.description, reporter=reporter,
            service_type_code=data.service_type, company_name=data.company_name,
            location=data.location, classification=data.classification),
        files=files, extra={"via": "api"}, once=once, receipt=_receipt)
    if outcome.replayed:
        return _replayed(outcome.response, outcome.complaint)
    return Reply(201, outcome.response or _receipt(outcome.complaint, len(files)))


def _receipt(complaint: Complaint, files: int) -> dict:
    return {
        "tracking_code": complaint.tracking_code, "public_id": complaint.public_id,
        "register_number": complaint.register_number,
        "status": complaint.status, "status_label": str(Status(complaint.status).label),
        "received_at": complaint.received_at.isoformat(),
        "due_on": complaint.due_on.isoformat(), "attachments": files,
    }


def _replayed(response: dict, complaint: Complaint):  # type: ignore[no-untyped-def]
    return Reply(201, response or _receipt(complaint, complaint.attachments.count()))


def _fingerprint(data: ComplaintCreateIn, files: list[UploadedFile]) -> str:
    """The request's content (fields and every file's bytes), whatever its multipart framing."""
    digest = hashlib.sha256(json.dumps(data.dict(), sort_keys=True, default=str).encode())
    for upload in files:
        digest.update(b"\0file\0" + (upload.name or "").encode())
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


@router.get("/complaints/{tracking_code}", response={200: PublicStatus, 202: PendingStatus,
                                                     404: ErrorEnvelope, **ERRORS},
            summary="Public status by tracking code", operation_id="ComplaintTrackApi")
def complaint_track(request: HttpRequest, tracking_code: Path[TrackingCode]):  # type: ignore[no-untyped-def]
    """Status, deadline and public replies of a complaint. Holds no personal data. A
    malformed, unknown or secret code gets the same 404. A code given by the web form whose
    submission is accepted and not registered yet (the worker registers it within moments)
    answers 202 with `state: accepted`. Rate limited per client address and per code."""
    check_rate("track", client_address(request))
    limit_lookup(tracking_code)
    found = tracked_get(tracking_code, related=_RELATED, pending=True)
    if isinstance(found, SubmissionKey):
        return Reply(202, {
            "tracking_code": found.tracking_code, "state": "accepted",
            "message": _("Diterima, sedang dicatat. Nomor register akan segera diberikan."),
            "received_at": found.received_at or found.created_at})
    return presenters.public_status(found, complaint_public_timeline(found))


_RELATED = ("office", "channel", "service_type", "reporter")


def _public(complaint) -> dict:  # type: ignore[no-untyped-def,type-arg]
    complaint.refresh_from_db()
    return presenters.public_status(complaint, complaint_public_timeline(complaint))


@router.post("/complaints/{tracking_code}/satisfaction",
             response={200: PublicStatus, 404: ErrorEnvelope, 409: ErrorEnvelope, **ERRORS},
             summary="Reporter is satisfied", operation_id="ComplaintSatisfiedApi")
def complaint_satisfied(request: HttpRequest, tracking_code: Path[TrackingCode],
                        data: SatisfactionIn):  # type: ignore[no-untyped-def]
    """The reporter confirms satisfaction with the response (surat pernyataan puas): the case
    closes. Allowed once the case has been responded to. Rate limited per client address and
    per code."""
    check_rate("track", client_address(request))
    limit_reporter_action(request, tracking_code)
    complaint = complaint_get_by_tracking_code(tracking_code, related=_RELATED)
    complaint_confirm_satisfaction(complaint_id=complaint.pk, statement=data.statement)
    return _public(complaint)


@router.post("/complaints/{tracking_code}/reopen",
             response={200: PublicStatus, 404: ErrorEnvelope, 409: ErrorEnvelope, **ERRORS},
             summary="Reporter is not satisfied", operation_id="ComplaintReopenApi")
def complaint_reporter_reopen(request: HttpRequest, tracking_code: Path[TrackingCode],
                              data: ReporterReopenIn):  # type: ignore[no-untyped-def]
    """The reporter is not satisfied: the case is reopened and handled again (SPEC §4.6).
    Rate limited per client address and per code."""
    check_rate("track", client_address(request))
    limit_reporter_action(request, tracking_code)
    complaint = complaint_get_by_tracking_code(tracking_code, related=_RELATED)
    complaint_reopen(complaint_id=complaint.pk, actor=None, reason=data.reason)
    return _public(complaint)


@router.get("/service-types", response={200: list[ServiceTypeOut], **ERRORS},
            summary="Service types", operation_id="ServiceTypeListApi")
def service_type_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The office's service (permit) types, for `service_type` in a new complaint."""
    check_rate("track", client_address(request))
    office = _office(request)
    return list(office.service_types.filter(is_active=True).order_by("name")
                .values("code", "name", "description"))
