"""Staff endpoints (API token): list, read and act on cases under the desk's role and unit
rules: every read goes through `complaints.access`, every step through its service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile
from ninja.params import Path
from pydantic import Field

from aduan.accounts.models import User
from aduan.api import presenters
from aduan.api.auth import token_auth
from aduan.api.errors import STAFF_ERRORS
from aduan.api.schemas import (
    NO_NUL,
    AgencyOut,
    AnswerIn,
    AttachmentsAddedOut,
    AttachmentsAddIn,
    CaseDetail,
    CasePage,
    CaseSummary,
    ClarifyIn,
    ConcludeIn,
    DisposeIn,
    FollowUpIn,
    NoteIn,
    NoteOut,
    OptionalNoteIn,
    ProposeIn,
    ReferIn,
    ReopenIn,
    RespondIn,
    UnitOut,
    VerifyIn,
)
from aduan.complaints import services
from aduan.complaints.access import access_complaint
from aduan.complaints.attachments import complaint_attachments_add
from aduan.complaints.caselist import CaseQuery, Deadline, State, case_page
from aduan.complaints.models import Complaint
from aduan.complaints.pagination import cursor_decode, cursor_encode
from aduan.complaints.privacy import (
    attachments_as_seen_by,
    complaint_as_seen_by,
    complaints_as_seen_by,
    events_as_seen_by,
    may_read_unredacted,
)
from aduan.complaints.selectors import (
    complaint_list_for_user,
    complaint_timeline_for_staff,
    reporter_for_staff,
)
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ValidationFailed
from aduan.offices.models import Channel, ReferralAgency, ServiceType, Unit

router = Router(tags=["cases"], auth=token_auth)

CaseId = Annotated[int, Field(ge=1, le=2**62, description="Case id from GET /cases.")]
StatusValue = Literal[tuple(s.value for s in Status)]  # type: ignore[valid-type]
CodeFilter = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")]


class CaseFilter(Schema):
    status: StatusValue | None = None  # type: ignore[valid-type]
    state: Literal["open", "settled"] | None = Field(
        None, description="open: not yet settled; settled: closed, answered, referred or "
                          "withdrawn.")
    unit: CodeFilter | None = None
    channel: CodeFilter | None = None
    service_type: CodeFilter | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool | None = Field(None, description="Open cases past their deadline.")
    q: Annotated[str, Field(max_length=100, pattern=NO_NUL)] | None = Field(
        None, description="Words (each as a prefix, all must occur) in the subject, the text "
                          "or, for the complaint team, the reporter's name; or an exact "
                          "register number. The desk's full-text index.")
    cursor: Annotated[str, Field(max_length=200, pattern=r"^[-A-Za-z0-9_=]*$")] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    after = cursor_decode(cursor)
    if after is None:
        raise ValidationFailed(_("Kursor halaman tidak valid."), code="invalid_cursor")
    return after


def _office_id(model: type[Unit | Channel | ServiceType], user: User, code: str) -> int:
    """The id of the office's row with `code`; -1 (matches nothing) when there is none."""
    found = model.objects.filter(office_id=user.office_id, code=code).values_list(
        "pk", flat=True).first()
    return -1 if found is None else found


def case_query(user: User, f: CaseFilter) -> CaseQuery:
    """The API's filters as the one case-list query of the desk (complaints/caselist.py)."""
    deadline = ""
    if f.overdue is not None:
        deadline = Deadline.OVERDUE if f.overdue else Deadline.NOT_OVERDUE
    service_type = _office_id(ServiceType, user, f.service_type) if f.service_type else None
    return CaseQuery(
        state=f.state or State.ALL, status=f.status or "",
        unit=_office_id(Unit, user, f.unit) if f.unit else None,
        channel=_office_id(Channel, user, f.channel) if f.channel else None,
        service_types=(service_type,) if service_type is not None else (),
        received_from=f.received_from, received_to=f.received_to, deadline=deadline,
        q=f.q or "", search_names=may_read_unredacted(user))


@router.get("/cases", response={200: CasePage, **STAFF_ERRORS}, summary="List cases",
            operation_id="CaseListApi")
def case_list(request: HttpRequest, filters: Query[CaseFilter]):  # type: ignore[no-untyped-def]
    """The cases the token's user may see (unit staff: only their unit's), newest first,
    with keyset pagination: pass `next_cursor` back as `cursor`. The same query as the
    desk's inbox (filters and keyword search)."""
    user = _user(request)
    qs = complaint_list_for_user(user)
    if not may_read_unredacted(user):
        qs = qs.select_related("reporter")  # the redaction removes the reporter's own values
    after = _decode_cursor(filters.cursor) if filters.cursor else None
    page = case_page(qs, case_query(user, filters), limit=filters.limit, after=after,
                     office_id=user.office_id)
    return {"items": [presenters.case_summary(c)
                      for c in complaints_as_seen_by(user, page.rows)],
            "next_cursor": cursor_encode(page.rows[-1]) if page.has_more else None}


def _detail(user: User, complaint_id: int) -> dict:  # type: ignore[type-arg]
    complaint = access_complaint(user, complaint_id)
    # Outside the complaint team every free text is redacted (complaints/privacy.py).
    return presenters.case_detail(
        complaint_as_seen_by(user, complaint),
        reporter=reporter_for_staff(user, complaint, purpose="api"),
        timeline=events_as_seen_by(user, complaint, complaint_timeline_for_staff(complaint)),
        attachments=attachments_as_seen_by(
            user, complaint, list(complaint.attachments.order_by("pk"))),
        actions=presenters.actions_for(user, complaint))


@router.get("/cases/{case_id}", response={200: CaseDetail, **STAFF_ERRORS},
            summary="Read a case", operation_id="CaseDetailApi")
def case_detail(request: HttpRequest, case_id: Path[CaseId]):  # type: ignore[no-untyped-def]
    """The case file: reporter (masked per role; every unmasked view is logged), timeline,
    attachments and the actions this user may take now. Cases the user may not see are 404."""
    return _detail(_user(request), case_id)


# --- Steps: each calls the same service as the desk ---------------------------------------------


def _summary(request: HttpRequest, c: Complaint) -> dict:  # type: ignore[type-arg]
    fresh = Complaint.objects.select_related(
        "channel", "unit", "service_type", "reporter").get(pk=c.pk)
    return presenters.case_summary(complaint_as_seen_by(_user(request), fresh))


def _unit(user: User, code: str) -> Unit:
    unit = Unit.objects.filter(office_id=user.office_id, code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed(_("Bidang tujuan tidak dikenal."), code="unit_unknown")
    return unit


STEP = {"response": {200: CaseSummary, **STAFF_ERRORS}}


@router.post("/cases/{case_id}/verify", **STEP, summary="Verify",
             operation_id="CaseVerifyApi")
def case_verify(request: HttpRequest, case_id: Path[CaseId], data: VerifyIn):  # type: ignore[no-untyped-def]
    """Step 2 (Formulir Tindak Lanjut, section C). `meets_requirements=false` asks the
    reporter to complete the complaint (the note says what is missing)."""
    checklist = services.Checklist(
        ktp_seen=data.ktp_seen, kk_seen=data.kk_seen,
        power_of_attorney_seen=data.power_of_attorney_seen,
        chronology_present=data.chronology_present, meets_requirements=data.meets_requirements)
    return _summary(request, services.complaint_verify(
        complaint_id=case_id, actor=_user(request), checklist=checklist, note=data.note))


@router.post("/cases/{case_id}/request-completion", **STEP, summary="Ask to complete",
             operation_id="CaseRequestCompletionApi")
def case_request_completion(request: HttpRequest, case_id: Path[CaseId], data: NoteIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_request_completion(
        complaint_id=case_id, actor=_user(request), note=data.note))


@router.post("/cases/{case_id}/answer", **STEP, summary="Answer at once and settle",
             operation_id="CaseAnswerApi")
def case_answer(request: HttpRequest, case_id: Path[CaseId], data: AnswerIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_answer(
        complaint_id=case_id, actor=_user(request), answer=data.answer,
        findings=data.findings))


@router.post("/cases/{case_id}/refer", **STEP, summary="Refer (not our authority)",
             operation_id="CaseReferApi")
def case_refer(request: HttpRequest, case_id: Path[CaseId], data: ReferIn):  # type: ignore[no-untyped-def]
    user = _user(request)
    agency = ReferralAgency.objects.filter(office_id=user.office_id, code=data.agency,
                                           is_active=True).first()
    if agency is None:
        raise ValidationFailed(_("Instansi rujukan tidak dikenal."), code="agency_unknown")
    return _summary(request, services.complaint_refer(
        complaint_id=case_id, actor=user, agency=agency, reply=data.reply,
        findings=data.findings))


@router.post("/cases/{case_id}/propose-disposition", **STEP, summary="Propose disposition",
             operation_id="CaseProposeDispositionApi")
def case_propose_disposition(request: HttpRequest, case_id: Path[CaseId], data: ProposeIn):  # type: ignore[no-untyped-def]
    user = _user(request)
    return _summary(request, services.complaint_propose_disposition(
        complaint_id=case_id, actor=user, unit=_unit(user, data.unit), note=data.note))


@router.post("/cases/{case_id}/dispose", **STEP, summary="Disposition to a unit",
             operation_id="CaseDisposeApi")
def case_dispose(request: HttpRequest, case_id: Path[CaseId], data: DisposeIn):  # type: ignore[no-untyped-def]
    """Team lead only: disposition to `unit`, or approve the proposed unit."""
    user = _user(request)
    return _summary(request, services.complaint_dispose(
        complaint_id=case_id, actor=user, unit=_unit(user, data.unit) if data.unit else None,
        note=data.note))


@router.post("/cases/{case_id}/clarify", **STEP, summary="Unit clarification",
             operation_id="CaseClarifyApi")
def case_clarify(request: HttpRequest, case_id: Path[CaseId], data: ClarifyIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_clarify(
        complaint_id=case_id, actor=_user(request), clarification=data.clarification))


@router.post("/cases/{case_id}/follow-up", **STEP, summary="Record follow-up",
             operation_id="CaseFollowUpApi")
def case_follow_up(request: HttpRequest, case_id: Path[CaseId], data: FollowUpIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_follow_up(
        complaint_id=case_id, actor=_user(request), note=data.note,
        internal_meeting_on=data.internal_meeting_on,
        meeting_participants=data.meeting_participants, technical_team=data.technical_team,
        fault=data.fault))


@router.post("/cases/{case_id}/respond", **STEP, summary="Respond to the reporter",
             operation_id="CaseRespondApi")
def case_respond(request: HttpRequest, case_id: Path[CaseId], data: RespondIn):  # type: ignore[no-untyped-def]
    """Step 5: the response is sent to the reporter on the channel they used."""
    return _summary(request, services.complaint_respond(
        complaint_id=case_id, actor=_user(request), response=data.response,
        findings=data.findings))


@router.post("/cases/{case_id}/conclude", **STEP, summary="Conclusion (team lead)",
             operation_id="CaseConcludeApi")
def case_conclude(request: HttpRequest, case_id: Path[CaseId], data: ConcludeIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_conclude(
        complaint_id=case_id, actor=_user(request), proven=data.proven,
        conclusion=data.conclusion))


@router.post("/cases/{case_id}/close", **STEP, summary="Close", operation_id="CaseCloseApi")
def case_close(request: HttpRequest, case_id: Path[CaseId], data: OptionalNoteIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_close(
        complaint_id=case_id, actor=_user(request), note=data.note))


@router.post("/cases/{case_id}/reopen", **STEP, summary="Reopen",
             operation_id="CaseReopenApi")
def case_reopen(request: HttpRequest, case_id: Path[CaseId], data: ReopenIn):  # type: ignore[no-untyped-def]
    return _summary(request, services.complaint_reopen(
        complaint_id=case_id, actor=_user(request), reason=data.reason))


@router.post("/cases/{case_id}/notes", response={201: NoteOut, **STAFF_ERRORS},
             summary="Internal note", operation_id="CaseNoteApi")
def case_note(request: HttpRequest, case_id: Path[CaseId], data: NoteIn):  # type: ignore[no-untyped-def]
    event = services.complaint_add_note(complaint_id=case_id, actor=_user(request),
                                        body=data.note)
    return Reply(201, {"id": event.pk, "kind": event.kind, "at": event.created_at})


@router.post("/cases/{case_id}/attachments",
             response={201: AttachmentsAddedOut, **STAFF_ERRORS},
             summary="Add attachments", operation_id="CaseAttachmentsAddApi")
def case_attachments_add(request: HttpRequest, case_id: Path[CaseId],  # type: ignore[no-untyped-def]
                         data: Form[AttachmentsAddIn],
                         attachments: File[list[UploadedFile]]):
    """Add documents to an existing case (`multipart/form-data`: repeated `attachments`
    parts and an optional `note`), e.g. the permit copy or power of attorney the reporter
    brought later. PDF, JPG, PNG, WebP, DOCX or XLSX, recognised by content; at most 5 files
    of 10 MB at once and 20 on the case. All or nothing. Officers, the team lead and the
    case's unit; the attachments and their event are internal (not on the public page)."""
    event = complaint_attachments_add(complaint_id=case_id, actor=_user(request),
                                      files=attachments, note=data.note)
    return Reply(201, presenters.attachments_added(event))


# --- Reference data for the steps ------------------------------------------------------------


@router.get("/units", response={200: list[UnitOut], **STAFF_ERRORS}, summary="Units",
            operation_id="UnitListApi")
def unit_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Units a case may be dispositioned to (`unit` of propose-disposition and dispose)."""
    return list(Unit.objects.filter(office_id=_user(request).office_id, is_active=True)
                .order_by("order", "name").values("code", "name"))


@router.get("/agencies", response={200: list[AgencyOut], **STAFF_ERRORS},
            summary="Referral agencies", operation_id="AgencyListApi")
def agency_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Agencies a case may be referred to (`agency` of refer)."""
    return list(ReferralAgency.objects.filter(office_id=_user(request).office_id,
                                              is_active=True)
                .order_by("name").values("code", "name", "topics"))
