"""Assemble document data from the case file, for the user who prints it.

Identity goes through `complaints.selectors.reporter_for_staff(..., purpose="print")`, so a
user who may not see the reporter gets masked values and every unmasked print is logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.privacy import complaint_as_seen_by, events_as_seen_by
from aduan.complaints.selectors import reporter_for_staff
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ApplicationError, NotFound
from aduan.documents.data import (
    ComplaintFormData,
    Entry,
    FollowUpFormData,
    LetterData,
    Letterhead,
    ReporterBlock,
    date_id,
)
from aduan.offices.models import Office

# Closure steps written in section H of the follow-up form.
CLOSURE_KINDS = (EventKind.CLOSED, EventKind.ANSWERED, EventKind.REFERRED, EventKind.WITHDRAWN,
                 EventKind.AUTO_CLOSED, EventKind.SATISFACTION_CONFIRMED)
# Any of these means the complaint has been followed up (section G).
FOLLOWED_UP_KINDS = (EventKind.FOLLOWED_UP, EventKind.RESPONDED, EventKind.ANSWERED,
                     EventKind.REFERRED, EventKind.CONCLUDED)
# A reporter can state satisfaction once a response was given (surat pernyataan puas).
SATISFACTION_STATUSES = frozenset({Status.RESPONDED, Status.CONCLUDED, Status.CLOSED,
                                   Status.ANSWERED, Status.REFERRED})
# Thank-you and good-name letters follow the team lead's conclusion (SPEC §4.6).
CONCLUDED_STATUSES = frozenset({Status.CONCLUDED, Status.CLOSED})


class DocumentNotAvailable(ApplicationError):
    """The case is not in a state where this document makes sense."""

    code = "document_not_available"
    status_code = 409


def letterhead_for(office: Office) -> Letterhead:
    logo = None
    if office.logo:
        try:
            with office.logo.open("rb") as handle:
                logo = handle.read()
        except OSError:
            logo = None
    return Letterhead(
        government_name=office.government_name, name=office.name, city=office.city,
        address=office.address, postal_code=office.postal_code, phone=office.phone,
        fax=office.fax, website=office.website, email=office.email, logo=logo,
        head_title=office.head_title, head_name=office.head_name, head_rank=office.head_rank,
        head_nip=office.head_nip)


def _reporter(user: User, complaint: Complaint) -> ReporterBlock:
    view = reporter_for_staff(user, complaint, purpose="print")
    return ReporterBlock(name=view.name, nik=view.nik, address=view.address, phone=view.phone,
                         email=view.email, is_masked=view.is_masked,
                         is_anonymous=view.is_anonymous)


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def _entry(event: CaseEvent, *, label: str = "", text: str | None = None) -> Entry:
    return Entry(on=_day(event.created_at), by=_name(event.actor),
                 text=event.body if text is None else text, label=label)


def complaint_form_data(*, user: User, complaint: Complaint) -> ComplaintFormData:
    """The filled Formulir Pengaduan: who recorded it signs as "Yang menerima pengaduan"."""
    return ComplaintFormData(
        letterhead=letterhead_for(complaint.office),
        register_number=complaint.register_number,
        reporter=_reporter(user, complaint),
        subject=complaint_as_seen_by(user, complaint).subject,
        description=complaint_as_seen_by(user, complaint).description,
        received_by=_name(complaint.created_by),
        received_on=complaint.received_on,
    )


def blank_complaint_form_data(*, user: User) -> ComplaintFormData:
    office = user.office
    if office is None:
        raise NotFound()
    return ComplaintFormData(letterhead=letterhead_for(office), register_number="",
                             reporter=None)


def follow_up_form_data(*, user: User, complaint: Complaint) -> FollowUpFormData:
    """Sections A–H of the Formulir Tindak Lanjut from the case's timeline."""
    # Outside the complaint team the form prints redacted free text (complaints/privacy.py).
    events = events_as_seen_by(user, complaint, list(
        complaint.events.select_related("actor").order_by("created_at", "id")))
    shown = complaint_as_seen_by(user, complaint)
    by_kind: dict[str, list[CaseEvent]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)

    checklist = None
    within_authority = meets_requirements = None
    # The latest verification decides section C: verified, or sent back as incomplete.
    verification = next((e for e in reversed(events) if e.kind in (
        EventKind.VERIFIED, EventKind.COMPLETION_REQUESTED)), None)
    if verification is not None:
        raw = verification.data.get("checklist") or {}
        checklist = {key: bool(raw.get(key)) for key in (
            "ktp_seen", "kk_seen", "power_of_attorney_seen", "chronology_present")}
        within_authority = bool(raw.get("within_authority", True))
        meets_requirements = verification.kind == EventKind.VERIFIED and bool(
            raw.get("meets_requirements", True))
    if EventKind.REFERRED in by_kind:
        within_authority, meets_requirements = False, False
        checklist = checklist or dict.fromkeys(
            ("ktp_seen", "kk_seen", "power_of_attorney_seen", "chronology_present"), False)

    proposals = [_entry(e, label=e.data.get("unit_name", ""))
                 for e in by_kind.get(EventKind.DISPOSITION_PROPOSED, [])]
    dispositions = [_entry(e, label=e.data.get("unit_name", ""))
                    for e in by_kind.get(EventKind.DISPOSITIONED, [])]
    clarifications = [_entry(e) for e in by_kind.get(EventKind.CLARIFIED, [])]
    follow_ups = []
    for e in by_kind.get(EventKind.FOLLOWED_UP, []):
        extra = []
        if e.data.get("internal_meeting_on"):
            meeting_on = dt.date.fromisoformat(e.data["internal_meeting_on"])
            extra.append(_("Rapat intern %(date)s") % {"date": date_id(meeting_on)}
                         + (f" ({e.data['meeting_participants']})"
                            if e.data.get("meeting_participants") else ""))
        if e.data.get("technical_team"):
            extra.append(_("Tim teknis: %(team)s") % {"team": e.data["technical_team"]})
        follow_ups.append(_entry(e, label="; ".join(extra)))
    responses = [_entry(e) for e in by_kind.get(EventKind.RESPONDED, [])]
    concluded = by_kind.get(EventKind.CONCLUDED, [])
    conclusion = _entry(concluded[-1]) if concluded else None
    closure_events = [e for e in events if e.kind in CLOSURE_KINDS]
    # A case reopened after closure is open again: only a closure after the last reopening
    # counts for section H.
    reopened = by_kind.get(EventKind.REOPENED, [])
    closure = None
    if closure_events and complaint.is_settled and (
            not reopened or closure_events[-1].created_at >= reopened[-1].created_at):
        last = closure_events[-1]
        closure = _entry(last, label=str(EventKind(last.kind).label))

    verified = by_kind.get(EventKind.VERIFIED)
    officer = (verified[-1].actor if verified else None) or complaint.created_by
    leads = by_kind.get(EventKind.CONCLUDED) or by_kind.get(EventKind.DISPOSITIONED)
    lead_event = leads[-1] if leads else None
    return FollowUpFormData(
        letterhead=letterhead_for(complaint.office),
        register_number=complaint.register_number,
        received_on=complaint.received_on,
        channel=complaint.channel.name,
        classification=complaint.get_classification_display(),
        status=complaint.get_status_display(),
        reporter=_reporter(user, complaint),
        is_by_proxy=complaint.is_by_proxy,
        checklist=checklist, within_authority=within_authority,
        meets_requirements=meets_requirements,
        description=shown.description,
        proposals=proposals, dispositions=dispositions, clarifications=clarifications,
        follow_ups=follow_ups, responses=responses,
        is_followed_up=any(kind in by_kind for kind in FOLLOWED_UP_KINDS),
        conclusion=conclusion,
        finding=complaint.get_finding_display() if complaint.finding else "",
        closure=closure,
        working_days_taken=complaint.working_days_taken if closure else None,
        officer_name=_name(officer),
        lead_name=_name(lead_event.actor if lead_event is not None else None),
        signed_on=_day(events[-1].created_at) if events else complaint.received_on,
    )


def _letter_data(user: User, complaint: Complaint, *, dated_on: dt.date | None,
                 conclusion: str = "") -> LetterData:
    unit = complaint.unit
    reported = (f"{unit.name} {complaint.office.name}" if unit is not None
                else complaint.office.name)
    shown = complaint_as_seen_by(user, complaint)
    return LetterData(
        letterhead=letterhead_for(complaint.office),
        register_number=complaint.register_number, received_on=complaint.received_on,
        channel=complaint.channel.name, subject=shown.subject,
        reporter=_reporter(user, complaint), dated_on=dated_on,
        responded_on=complaint.responded_on, response=shown.response_text,
        conclusion=conclusion, reported_party=reported)


def satisfaction_statement_data(*, user: User, complaint: Complaint) -> LetterData:
    """Surat pernyataan puas: only once the reporter has had a response."""
    if complaint.status not in SATISFACTION_STATUSES:
        raise DocumentNotAvailable(
            _("Surat pernyataan puas baru dapat dicetak setelah pelapor menerima tanggapan "
              "(status sekarang: %(status)s).") % {"status": complaint.get_status_display()})
    confirmed = complaint.events.filter(
        kind=EventKind.SATISFACTION_CONFIRMED).order_by("-created_at", "-id").first()
    return _letter_data(user, complaint,
                        dated_on=_day(confirmed.created_at) if confirmed else None)


def _concluded(complaint: Complaint, finding: str, message: str) -> CaseEvent:
    event = None
    if complaint.status in CONCLUDED_STATUSES and complaint.finding == finding:
        event = complaint.events.filter(kind=EventKind.CONCLUDED).order_by(
            "-created_at", "-id").first()
    if event is None:
        raise DocumentNotAvailable(message % {
            "status": complaint.get_status_display(),
            "finding": complaint.get_finding_display() if complaint.finding
            else _("belum ada kesimpulan")})
    return event


def thank_you_letter_data(*, user: User, complaint: Complaint) -> LetterData:
    """Surat ucapan terima kasih: only for a concluded, proven finding (SPEC §4.6)."""
    event = _concluded(complaint, "proven", _(
        "Surat ucapan terima kasih hanya untuk pengaduan yang disimpulkan terbukti "
        "(status: %(status)s; hasil: %(finding)s)."))
    return _letter_data(user, complaint, dated_on=_day(event.created_at),
                        conclusion=event.body)


def good_name_letter_data(*, user: User, complaint: Complaint) -> LetterData:
    """Surat pemulihan nama baik: only for a concluded, not proven finding (SPEC §4.6)."""
    event = _concluded(complaint, "not_proven", _(
        "Surat pemulihan nama baik hanya untuk pengaduan yang disimpulkan tidak terbukti "
        "(status: %(status)s; hasil: %(finding)s)."))
    return _letter_data(user, complaint, dated_on=_day(event.created_at),
                        conclusion=event.body)


@dataclass(frozen=True)
class DocumentLink:
    name: str
    label: str
    url: str


def documents_available(complaint: Complaint) -> list[DocumentLink]:
    """The documents that make sense for the case now, for the case page's print menu
    (`{% include "documents/_case_documents.html" with documents=... %}`)."""
    names = [("complaint-form", _("Formulir Pengaduan")),
             ("follow-up-form", _("Formulir Tindak Lanjut"))]
    if complaint.status in SATISFACTION_STATUSES:
        names.append(("satisfaction-statement", _("Surat Pernyataan Puas")))
    if complaint.status in CONCLUDED_STATUSES and complaint.finding == "proven":
        names.append(("thank-you-letter", _("Surat Ucapan Terima Kasih")))
    if complaint.status in CONCLUDED_STATUSES and complaint.finding == "not_proven":
        names.append(("good-name-letter", _("Surat Pemulihan Nama Baik")))
    return [DocumentLink(name, str(label), reverse(f"documents:{name}", args=[complaint.pk]))
            for name, label in names]
