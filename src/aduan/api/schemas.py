"""Input and output schemas of the REST API (one pair per operation where they differ)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

# Text as stored by the database: no NUL characters (PostgreSQL refuses them).
NO_NUL = r"^[^\x00]*$"


def Text(max_length: int, *, min_length: int = 0, **kw: object) -> object:  # noqa: N802
    return Field(min_length=min_length, max_length=max_length, pattern=NO_NUL, **kw)


ShortText = Annotated[str, Text(200)]
Code = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")]
# Not validated by shape: a malformed code is answered exactly like an unknown one (404).
TrackingCode = Annotated[str, Field(
    description="The reporter's tracking code, e.g. `K7QM-3XPD-9RTA-2F6B`; case, spaces and "
                "dashes do not matter.")]
Classification = Literal["complaint", "aspiration", "information_request"]


# --- Public -----------------------------------------------------------------------------------


class ComplaintCreateIn(Schema):
    """A complaint from another system (multipart form; attachments in `attachments`).
    A field not listed here is refused (422, checked in the view: the form parser passes only
    known fields on), not silently dropped: a misspelt field would lose what the reporter wrote."""

    description: Annotated[str, Text(20_000, min_length=1)] = Field(
        description="Isi pengaduan (complaint text).")
    subject: Annotated[str, Text(300)] = ""
    classification: Classification = "complaint"
    service_type: Annotated[str, Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="Code from GET /service-types.")
    company_name: ShortText = ""
    location: Annotated[str, Text(300)] = ""
    name: ShortText = ""
    nik: Annotated[str, Field(max_length=16, pattern=r"^[0-9]*$")] = ""
    address: Annotated[str, Text(500)] = ""
    occupation: ShortText = ""
    phone: Annotated[str, Field(max_length=20, pattern=r"^[-+0-9 ()]*$")] = ""
    email: Annotated[str, Field(max_length=254, pattern=NO_NUL)] = ""
    is_anonymous: bool = False
    is_confidential: bool = False
    consent: bool = Field(False, description="The reporter consents to the processing of their "
                                             "personal data (UU 27/2022).")


class ComplaintReceipt(Schema):
    tracking_code: str = Field(description="The reporter's secret code to follow the complaint "
                                           "and act on it; give it to the reporter only.")
    public_id: str = Field(description="The complaint's name in public output (Open311 "
                                       "`service_request_id`); grants nothing.")
    register_number: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_on: dt.date
    attachments: int


class PublicEvent(Schema):
    kind: str
    label: str
    at: dt.datetime
    text: str


class PublicStatus(Schema):
    """What anyone holding the tracking code may see: no personal data."""

    tracking_code: str
    public_id: str
    register_number: str
    status: str
    status_label: str
    is_settled: bool
    classification: str
    channel: str
    service_type: str | None
    received_on: dt.date
    due_on: dt.date
    settled_on: dt.date | None
    response: str
    timeline: list[PublicEvent]


class PendingStatus(Schema):
    """A web submission accepted and not registered yet (decision 0015): the worker gives it
    its register number shortly. No personal data."""

    tracking_code: str
    state: Literal["accepted"] = Field(description="Received, being registered.")
    message: str
    received_at: dt.datetime


class SatisfactionIn(Schema):
    statement: Annotated[str, Text(2000)] = ""


class ReporterReopenIn(Schema):
    reason: Annotated[str, Text(5000, min_length=1)] = Field(
        description="Why the reporter is not satisfied.")


class ServiceTypeOut(Schema):
    code: str
    name: str
    description: str


# --- Staff ------------------------------------------------------------------------------------


class CaseSummary(Schema):
    id: int
    register_number: str
    public_id: str
    subject: str
    status: str
    status_label: str
    classification: str
    channel: str
    service_type: str | None
    unit: str | None
    received_at: dt.datetime
    received_on: dt.date
    due_on: dt.date
    settled_on: dt.date | None
    is_overdue: bool


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at "
                                                "the end.")


class ReporterOut(Schema):
    """The reporter as the token's user may see it (masked per role, SPEC §6)."""

    name: str
    nik: str
    address: str
    occupation: str
    phone: str
    email: str
    is_masked: bool
    is_anonymous: bool
    is_confidential: bool


class StaffEvent(Schema):
    kind: str
    label: str
    at: dt.datetime
    actor: str
    is_public: bool
    text: str
    status_before: str
    status_after: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    is_public: bool


class CaseDetail(CaseSummary):
    description: str
    location: str
    company_name: str
    proposed_unit: str | None
    referred_agency: str | None
    response: str
    finding: str
    findings_note: str
    reporter: ReporterOut
    attachments: list[AttachmentOut]
    timeline: list[StaffEvent]
    actions: list[str] = Field(description="Actions this user may take now.")


class UnitOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    topics: str


# --- Staff actions (one input schema per step) -------------------------------------------------

LongText = Annotated[str, Text(20_000)]
RequiredText = Annotated[str, Text(20_000, min_length=1)]


class VerifyIn(Schema):
    note: LongText = ""
    ktp_seen: bool = False
    kk_seen: bool = False
    power_of_attorney_seen: bool = False
    chronology_present: bool = False
    meets_requirements: bool = True


class NoteIn(Schema):
    note: RequiredText


class OptionalNoteIn(Schema):
    note: LongText = ""


class AnswerIn(Schema):
    answer: RequiredText
    findings: LongText = ""


class ReferIn(Schema):
    agency: Code = Field(description="Code from GET /agencies.")
    reply: LongText = Field("", description="Empty: the agency's standard referral text.")
    findings: LongText = ""


class ProposeIn(Schema):
    unit: Code
    note: LongText = ""


class DisposeIn(Schema):
    unit: Annotated[str, Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="Empty: approve the officer's proposed unit.")
    note: LongText = ""


class ClarifyIn(Schema):
    clarification: RequiredText


class FollowUpIn(Schema):
    note: RequiredText
    internal_meeting_on: dt.date | None = None
    meeting_participants: Annotated[str, Text(1000)] = ""
    technical_team: Annotated[str, Text(1000)] = ""
    fault: Literal["", "applicant", "office"] = ""


class RespondIn(Schema):
    response: RequiredText
    findings: LongText = ""


class ConcludeIn(Schema):
    proven: bool
    conclusion: RequiredText


class ReopenIn(Schema):
    reason: RequiredText


class NoteOut(Schema):
    id: int
    kind: str
    at: dt.datetime


class AttachmentsAddIn(Schema):
    """The form fields beside the files (multipart; files in repeated `attachments` parts)."""

    note: Annotated[str, Text(1000)] = Field(
        "", description="Keterangan (what the documents are, who brought them).")


class AttachmentsAddedOut(Schema):
    event: NoteOut = Field(description="The internal timeline event naming the files.")
    attachments: list[AttachmentOut]
