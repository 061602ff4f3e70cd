"""The procedure of SPEC §4 as services: each step authorises, checks the transition table,
writes the case, appends its timeline event and hands outbound messages to the outbox hook.

Every service is atomic and keyword-only. `actor` is a staff user; reporter and system steps
pass `actor=None` with `actor_kind=REPORTER` or `SYSTEM`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from aduan.accounts.models import Role, User
from aduan.complaints import notify
from aduan.complaints.access import access_complaint
from aduan.complaints.deadlines import limits_for, working_days_taken
from aduan.complaints.events import (
    REPORTER_LABEL,
    SYSTEM_LABEL,
    complaint_message_in_event,
    complaint_note_event,
    complaint_notification_event,
    complaint_transition_event,
)
from aduan.complaints.figures import figures_add
from aduan.complaints.models import CaseEvent, Complaint, EventKind, Reporter
from aduan.complaints.numbering import format_register_number, next_register_sequence
from aduan.complaints.workflow import (
    REPORTER,
    SYSTEM,
    TRANSITIONS_BY_ACTION,
    Action,
    Status,
)
from aduan.core.exceptions import ApplicationError, NotFound, ValidationFailed
from aduan.core.fastinsert import insert
from aduan.core.text import clean_text
from aduan.core.validators import normalize_phone, validate_nik
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Channel, Classification, Office, ReferralAgency, ServiceType, Unit

MAX_DESCRIPTION = 20_000
MAX_SUBJECT = 300


class TransitionNotAllowed(ApplicationError):
    code = "transition_not_allowed"
    status_code = 409


class ReporterAnonymised(ApplicationError):
    """The reporter's personal data was erased: the tracking code no longer acts for anyone."""

    code = "reporter_anonymised"
    status_code = 409
    default_message = _lazy(
        "Data pribadi pelapor pengaduan ini telah dianonimkan, sehingga kode pelacakannya tidak "
        "lagi dapat dipakai untuk membuka kembali, menutup atau menilai pengaduan. Bila masih "
        "ada masalah, silakan ajukan pengaduan baru.")


def refuse_if_anonymised(complaint: Complaint) -> None:
    """Reporter actions (by tracking code) on a case whose reporter was anonymised."""
    if Reporter.objects.filter(pk=complaint.reporter_id, anonymised_at__isnull=False).exists():
        raise ReporterAnonymised()


# --------------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------------


@dataclass
class ReporterInput:
    name: str = ""
    nik: str = ""
    address: str = ""
    occupation: str = ""
    phone: str = ""
    email: str = ""
    is_anonymous: bool = False
    is_confidential: bool = False
    consent: bool = False
    consent_basis: str = "consent"


@dataclass
class Checklist:
    """Section C of the Formulir Tindak Lanjut."""

    ktp_seen: bool = False
    kk_seen: bool = False
    power_of_attorney_seen: bool = False
    chronology_present: bool = False
    within_authority: bool = True
    meets_requirements: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ktp_seen": self.ktp_seen, "kk_seen": self.kk_seen,
            "power_of_attorney_seen": self.power_of_attorney_seen,
            "chronology_present": self.chronology_present,
            "within_authority": self.within_authority,
            "meets_requirements": self.meets_requirements, **self.extra,
        }


def reporter_create(*, data: ReporterInput, at: dt.datetime) -> Reporter:
    """Validate and store a reporter (see `reporter_build`)."""
    reporter = reporter_build(data=data, at=at)
    reporter.save()
    return reporter


def reporter_check(data: ReporterInput) -> tuple[str, str]:
    """`reporter_build`'s checks alone (the phone parses, a named reporter's NIK is valid):
    the normalised phone and NIK, or ValidationFailed with the fields' errors. What an
    accepted web submission runs in the request so the worker's `reporter_build` cannot
    refuse it later, without building the Reporter it would throw away (issue 17)."""
    errors: dict[str, list[str]] = {}
    phone = ""
    if data.phone:
        try:
            phone = normalize_phone(data.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    nik = ""
    if data.nik and not data.is_anonymous:
        try:
            nik = validate_nik(data.nik)
        except ValidationError as exc:
            errors["nik"] = exc.messages
    if errors:
        raise ValidationFailed(_("Data pelapor tidak valid."), extra={"errors": errors})
    return phone, nik


def reporter_build(*, data: ReporterInput, at: dt.datetime) -> Reporter:
    """Validate a reporter and return it unsaved. Anonymous reporters keep no identity: only
    the contact they chose for replies, which is masked everywhere (SPEC §3)."""
    phone, nik = reporter_check(data)
    reporter = Reporter(
        phone=phone,
        email=(data.email or "").strip().lower(),
        is_anonymous=data.is_anonymous,
        is_confidential=data.is_confidential or data.is_anonymous,
        consent_at=at if data.consent else None,
        consent_basis=data.consent_basis if data.consent else "",
    )
    if not data.is_anonymous:
        reporter.name = clean_text(data.name, multiline=False)[:200]
        reporter.address = clean_text(data.address)
        reporter.occupation = clean_text(data.occupation, multiline=False)[:200]
        if nik:
            reporter.set_nik(nik)
    return reporter


def registration_text(*, subject: str, description: str, company_name: str = "",
                      location: str = "") -> tuple[str, str, str, str]:
    """A new case's texts as `complaint_register` stores them, or ValidationFailed: every
    channel's text passes the one validator (core/text.py), so no control or bidi override
    characters reach the case file or the desk lists. Also run when a web submission is
    accepted (complaints/submissions.py), so what the worker registers later cannot fail here."""
    subject = clean_text(subject, multiline=False)
    description = clean_text(description)
    company_name = clean_text(company_name, multiline=False)
    location = clean_text(location, multiline=False)
    if not description:
        raise ValidationFailed(_("Isi pengaduan wajib diisi."))
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(
            _("Isi pengaduan terlalu panjang (maksimal %(max)s karakter).")
            % {"max": f"{MAX_DESCRIPTION:,}".replace(",", ".")})
    if not subject:
        subject = description.splitlines()[0][:120]
    return subject[:MAX_SUBJECT], description, company_name, location


def complaint_register(
    *,
    office: Office,
    channel: Channel,
    subject: str,
    description: str,
    reporter: ReporterInput | Reporter,
    received_at: dt.datetime | None = None,
    classification: str = Classification.COMPLAINT,
    service_type: ServiceType | None = None,
    company_name: str = "",
    location: str = "",
    is_by_proxy: bool = False,
    lapor_tracking_id: str = "",
    is_secret: bool = False,
    created_by: User | None = None,
    data: dict[str, Any] | None = None,
    within: Callable[[Complaint], object] | None = None,
    tracking_code: str = "",
) -> Complaint:
    """Step 1 (diterima): register a complaint with the next gapless number.

    Writes the complaint and a public RECEIVED event, then dispatches the event so the receipt
    (number and tracking code) is queued to the reporter in this same transaction. Everything
    that needs no number (checks, the reporter's validation, deadlines) is done before the
    transaction begins: on SQLite the transaction holds the database's only write lock.
    `within(complaint)`: the caller's own writes that must commit or roll back with the case
    (attachments, the submission's single-use key), run last in the same transaction, so the
    caller needs no transaction of its own around this one (a savepoint fewer: two statements,
    two round trips on PostgreSQL).
    `received_at` and `tracking_code`: those of an accepted web submission registered later by
    the worker (complaints/submissions.py), so its dates count from receipt and the code the
    reporter was shown stays the case's.
    """
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(_("Tanggal pengaduan tidak boleh di masa depan."))
    subject, description, company_name, location = registration_text(
        subject=subject, description=description, company_name=company_name, location=location)
    if channel.office_id != office.pk:
        raise ValidationFailed(_("Saluran pengaduan bukan milik kantor ini."))
    if service_type is not None and service_type.office_id != office.pk:
        raise ValidationFailed(_("Jenis layanan bukan milik kantor ini."))
    received_on = timezone.localdate(received_at)
    calendar = calendar_for_office(office.pk)
    limits = limits_for(office, classification)
    if isinstance(reporter, ReporterInput):
        reporter = reporter_build(data=reporter, at=now)
    complaint = Complaint(
        office=office,
        register_year=received_on.year,
        # The number belongs to the year of receipt, so its issue date is the day of receipt,
        # also when a paper complaint is entered a few days later.
        issued_on=received_on,
        channel=channel,
        classification=classification,
        received_at=received_at,
        received_on=received_on,
        subject=subject,
        description=description,
        # No default: an empty location means the reporter named none (not "this office").
        location=location,
        service_type=service_type,
        company_name=(company_name or "").strip()[:200],
        is_by_proxy=is_by_proxy,
        due_on=calendar.add_working_days(received_on, limits.settle_days),
        verify_due_on=calendar.add_working_days(received_on, limits.verify_days),
        lapor_tracking_id=lapor_tracking_id,
        is_secret=is_secret,
        created_by=created_by,
    )
    if tracking_code:
        complaint.tracking_code = tracking_code
    with transaction.atomic():
        if reporter.pk is None:
            insert(reporter)
        complaint.reporter = reporter
        sequence = next_register_sequence(office=office, year=complaint.register_year)
        complaint.register_sequence = sequence
        complaint.register_number = format_register_number(
            office.register_number_pattern, sequence=sequence, year=complaint.register_year,
            month=received_on.month)
        insert(complaint)  # bypasses Complaint.save: count the new case in its day's figures
        figures_add(complaint)
        complaint._figures_day = received_on  # the day its figures count it in (models.py)
        complaint._figures_office = office.pk
        event = complaint_transition_event(
            complaint, EventKind.RECEIVED, actor=created_by,
            actor_label=REPORTER_LABEL if created_by is None else "",
            status_before="", is_public=True,
            body=_("Pengaduan diterima melalui %(channel)s dengan nomor %(number)s.")
            % {"channel": channel.name, "number": complaint.register_number},
            data={"channel": channel.code, **(data or {})}, at=received_at,
            touch=False,  # the case row was inserted just now
        )
        notify.dispatch(event)
        if within is not None:
            within(complaint)
    return complaint


# --------------------------------------------------------------------------------------------
# Transition machinery
# --------------------------------------------------------------------------------------------


def _actor_roles(actor: User | None, actor_kind: str | None) -> frozenset[str]:
    if actor is None:
        return frozenset({actor_kind or SYSTEM})
    return actor.roles


def check_transition(complaint: Complaint, action: Action, *, actor: User | None,
                     actor_kind: str | None = None) -> Status:
    """Raise TransitionNotAllowed unless `actor` may fire `action` on the case now."""
    transition = TRANSITIONS_BY_ACTION[action]
    roles = _actor_roles(actor, actor_kind)
    # The role first: an action outside the role is refused as such (403, audited), whatever
    # the case's state.
    if not roles & transition.actors:
        raise TransitionNotAllowed(
            _("Peran Anda tidak berwenang melakukan \u201c%(action)s\u201d.")
            % {"action": action.label}, code="role_not_allowed")
    if complaint.status not in transition.sources:
        raise TransitionNotAllowed(
            _("Tindakan \u201c%(action)s\u201d tidak dapat dilakukan pada pengaduan berstatus "
              "\u201c%(status)s\u201d.")
            % {"action": action.label, "status": Status(complaint.status).label})
    if (transition.unit_scoped and actor is not None and Role.UNIT_STAFF in roles
            and not actor.has_role(Role.OFFICER, Role.TEAM_LEAD)
            and (complaint.unit_id is None or complaint.unit_id != actor.unit_id)):
        raise TransitionNotAllowed(
            _("Pengaduan ini tidak didisposisikan ke bidang Anda."), code="unit_not_allowed")
    return transition.target or Status(complaint.status)


def _load(complaint_id: int, actor: User | None) -> Complaint:
    if actor is not None:
        return access_complaint(actor, complaint_id, for_update=True)
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("office", "channel", "reporter", "unit")
        .filter(pk=complaint_id).first()
    )
    if complaint is None:
        raise NotFound()
    return complaint


def _moment(at: dt.datetime | None, complaint: Complaint) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    day = timezone.localdate(at)
    if day < complaint.received_on:
        raise ValidationFailed(
            _("Tanggal tindakan (%(day)s) tidak boleh sebelum tanggal pengaduan (%(received)s).")
            % {"day": day.isoformat(), "received": complaint.received_on.isoformat()},
            code="date_before_received")
    return at, day


def _apply(complaint: Complaint, action: Action, kind: EventKind, *, actor: User | None,
           actor_kind: str | None, at: dt.datetime | None, is_public: bool, body: str = "",
           data: dict[str, Any] | None = None, fields: dict[str, Any] | None = None) -> CaseEvent:
    target = check_transition(complaint, action, actor=actor, actor_kind=actor_kind)
    if actor is None and actor_kind == REPORTER and complaint.reporter.anonymised_at is not None:
        raise ReporterAnonymised()
    at, _day = _moment(at, complaint)
    before = complaint.status
    complaint.status = target
    updates = {"status", "updated_at"}
    for name, value in (fields or {}).items():
        setattr(complaint, name, value)
        updates.add(name)
    complaint.save(update_fields=sorted(updates))
    label = ""
    if actor is None:
        label = REPORTER_LABEL if actor_kind == REPORTER else SYSTEM_LABEL
    event = complaint_transition_event(
        complaint, kind, actor=actor, actor_label=label, status_before=before,
        is_public=is_public, body=body, data=data or {}, at=at)
    notify.dispatch(event)
    return event


def _settle_fields(complaint: Complaint, day: dt.date) -> dict[str, Any]:
    calendar = calendar_for_office(complaint.office_id)
    return {"settled_on": day,
            "working_days_taken": working_days_taken(calendar, complaint.received_on, day)}


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(message, code="text_required")
    return text


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_verify(*, complaint_id: int, actor: User, checklist: Checklist, note: str = "",
                     at: dt.datetime | None = None) -> Complaint:
    """Step 2: record the Formulir Tindak Lanjut checklist (section C).

    Meets the requirements -> VERIFIED. Otherwise the reporter is asked to complete it
    (INCOMPLETE, with the 30-day limit of UU 25/2009). Not our authority is handled by
    `complaint_refer`, which tells the reporter where to go.
    """
    complaint = _load(complaint_id, actor)
    if not checklist.within_authority:
        raise ValidationFailed(
            _("Materi bukan kewenangan kantor ini: gunakan tindakan \u201cRujuk ke instansi "
              "lain\u201d agar pelapor diberi tahu instansi yang berwenang."),
            code="use_refer")
    if not checklist.meets_requirements:
        return _request_completion(complaint, actor=actor, note=note, at=at,
                                   checklist=checklist.as_dict())
    at, day = _moment(at, complaint)
    _apply(complaint, Action.VERIFY, EventKind.VERIFIED, actor=actor, actor_kind=None, at=at,
           is_public=True, body=note, data={"checklist": checklist.as_dict()},
           fields={"verified_on": day})
    return complaint


def _request_completion(complaint: Complaint, *, actor: User | None, note: str,
                        at: dt.datetime | None, checklist: dict[str, Any] | None) -> Complaint:
    note = _required(note, _("Tuliskan kelengkapan apa yang harus dipenuhi pelapor."))
    at, day = _moment(at, complaint)
    limits = limits_for(complaint.office, complaint.classification)
    _apply(complaint, Action.REQUEST_COMPLETION, EventKind.COMPLETION_REQUESTED, actor=actor,
           actor_kind=None, at=at, is_public=True, body=note,
           data={"checklist": checklist or {}},
           fields={"completion_due_on": day + dt.timedelta(days=limits.completion_days)})
    return complaint


@transaction.atomic
def complaint_request_completion(*, complaint_id: int, actor: User, note: str,
                                 at: dt.datetime | None = None) -> Complaint:
    """Ask the reporter to complete the complaint; the case waits (SPEC §4.2)."""
    return _request_completion(_load(complaint_id, actor), actor=actor, note=note, at=at,
                               checklist=None)


@transaction.atomic
def complaint_complete(*, complaint_id: int, actor: User | None, note: str,
                       at: dt.datetime | None = None) -> Complaint:
    """The reporter supplied what was missing: back to RECEIVED for verification."""
    complaint = _load(complaint_id, actor)
    _apply(complaint, Action.COMPLETE, EventKind.COMPLETED, actor=actor,
           actor_kind=REPORTER if actor is None else None, at=at, is_public=True,
           body=(note or "").strip(), fields={"completion_due_on": None})
    return complaint


@transaction.atomic
def complaint_request_documents(*, complaint_id: int, actor: User, note: str,
                                at: dt.datetime | None = None) -> Complaint:
    """After disposition: ask the reporter for more documents without undoing anything. The
    case keeps its status and unit; the reporter is told what to send and by when (the 30-day
    completion limit of UU 25/2009, `completion_due_on`)."""
    complaint = _load(complaint_id, actor)
    check_transition(complaint, Action.REQUEST_DOCUMENTS, actor=actor)
    if complaint.completion_due_on is not None:
        raise ValidationFailed(
            _("Permintaan dokumen sebelumnya masih berjalan (batas %(date)s). Catat dokumen "
              "yang diterima lebih dulu, atau tambahkan permintaan lewat pesan kepada pelapor.")
            % {"date": date_format(complaint.completion_due_on, "DATE_FORMAT")},
            code="documents_pending")
    note = _required(note, _("Tuliskan dokumen apa yang harus dikirim pelapor."))
    at, day = _moment(at, complaint)
    limits = limits_for(complaint.office, complaint.classification)
    _apply(complaint, Action.REQUEST_DOCUMENTS, EventKind.DOCUMENTS_REQUESTED, actor=actor,
           actor_kind=None, at=at, is_public=True, body=note,
           fields={"completion_due_on": day + dt.timedelta(days=limits.completion_days)})
    return complaint


@transaction.atomic
def complaint_documents_received(*, complaint_id: int, actor: User, note: str = "",
                                 at: dt.datetime | None = None) -> Complaint:
    """The documents asked for after disposition arrived: the clock stops."""
    complaint = _load(complaint_id, actor)
    check_transition(complaint, Action.DOCUMENTS_RECEIVED, actor=actor)
    if complaint.completion_due_on is None:
        raise ValidationFailed(_("Tidak ada permintaan dokumen tambahan yang berjalan."),
                               code="no_documents_pending")
    _apply(complaint, Action.DOCUMENTS_RECEIVED, EventKind.DOCUMENTS_RECEIVED, actor=actor,
           actor_kind=None, at=at, is_public=True, body=(note or "").strip(),
           fields={"completion_due_on": None})
    return complaint


def complaints_documents_lapse(*, today: dt.date | None = None) -> int:
    """Requests for documents after disposition whose 30 days have passed lapse: the case is
    not withdrawn (it was already found to meet the requirements and dispositioned), it goes on
    with the documents at hand; the reporter is told and the timeline records it."""
    today = today or timezone.localdate()
    ids = list(Complaint.objects.filter(completion_due_on__lt=today).exclude(
        status=Status.INCOMPLETE).values_list("pk", flat=True))
    for pk in ids:
        _documents_lapse(pk, today)
    return len(ids)


@transaction.atomic
def _documents_lapse(complaint_id: int, today: dt.date) -> None:
    complaint = _load(complaint_id, None)
    if (complaint.completion_due_on is None or complaint.completion_due_on >= today
            or complaint.status == Status.INCOMPLETE):
        return  # handled in the meantime
    due = complaint.completion_due_on
    complaint.completion_due_on = None
    complaint.save(update_fields=["completion_due_on", "updated_at"])
    event = complaint_transition_event(
        complaint, EventKind.DOCUMENTS_LAPSED, actor=None, actor_label=SYSTEM_LABEL,
        status_before=complaint.status, is_public=True, data={"due_on": due.isoformat()},
        body=_("Batas waktu pengiriman dokumen tambahan (%(date)s) telah lewat. Pengaduan "
               "tetap ditindaklanjuti berdasarkan dokumen yang ada.")
        % {"date": date_format(due, "DATE_FORMAT")},
        at=timezone.now())
    notify.dispatch(event)


@transaction.atomic
def complaint_withdraw(*, complaint_id: int, actor: User | None,
                       at: dt.datetime | None = None) -> Complaint:
    """Incomplete past its limit counts as withdrawn (UU 25/2009)."""
    complaint = _load(complaint_id, actor)
    at, day = _moment(at, complaint)
    _apply(complaint, Action.WITHDRAW, EventKind.WITHDRAWN, actor=actor,
           actor_kind=SYSTEM if actor is None else None, at=at, is_public=True,
           body=_("Pengaduan dianggap dicabut karena kelengkapan tidak dipenuhi dalam batas "
                  "waktu."),
           fields=_settle_fields(complaint, day))
    return complaint


@transaction.atomic
def complaint_refer(*, complaint_id: int, actor: User, agency: ReferralAgency, reply: str,
                    findings: str = "", at: dt.datetime | None = None) -> Complaint:
    """Not our authority (bukan kewenangan): tell the reporter which agency handles it and
    close the case as referred; it still counts in the reports."""
    complaint = _load(complaint_id, actor)
    if agency.office_id != complaint.office_id:
        raise ValidationFailed(_("Instansi rujukan tidak dikenal."))
    reply = _required(reply or agency.referral_text,
                      _("Tuliskan jawaban yang memberi tahu pelapor instansi yang berwenang."))
    at, day = _moment(at, complaint)
    _apply(complaint, Action.REFER, EventKind.REFERRED, actor=actor, actor_kind=None, at=at,
           is_public=True, body=reply, data={"agency": agency.code, "agency_name": agency.name},
           fields={"referred_agency": agency, "response_text": reply, "responded_on": day,
                   "findings_note": findings or _("Bukan kewenangan; dirujuk ke %(agency)s.")
                   % {"agency": agency.name},
                   **_settle_fields(complaint, day)})
    return complaint


@transaction.atomic
def complaint_answer(*, complaint_id: int, actor: User | None, answer: str, findings: str = "",
                     at: dt.datetime | None = None,
                     data: dict[str, Any] | None = None) -> Complaint:
    """A simple question (information request) answered at once and closed (SPEC §4.2).

    `actor=None` is the system settling an automatic answer the reporter confirmed helpful
    (assist/instant.py); `data` goes on the event (e.g. the primary case of a duplicate)."""
    complaint = _load(complaint_id, actor)
    answer = _required(answer, _("Jawaban kepada pelapor wajib diisi."))
    at, day = _moment(at, complaint)
    _apply(complaint, Action.ANSWER, EventKind.ANSWERED, actor=actor,
           actor_kind=SYSTEM if actor is None else None, at=at,
           is_public=True, body=answer, data=data,
           fields={"response_text": answer, "responded_on": day,
                   "findings_note": findings or _("Pengaduan dijawab langsung oleh petugas "
                                                  "pengaduan."),
                   **_settle_fields(complaint, day)})
    return complaint


@transaction.atomic
def complaint_propose_disposition(*, complaint_id: int, actor: User, unit: Unit, note: str = "",
                                  at: dt.datetime | None = None) -> Complaint:
    """The officer proposes the unit; the team lead approves with `complaint_dispose`."""
    complaint = _load(complaint_id, actor)
    _check_unit(complaint, unit)
    _apply(complaint, Action.PROPOSE_DISPOSITION, EventKind.DISPOSITION_PROPOSED, actor=actor,
           actor_kind=None, at=at, is_public=False, body=note,
           data={"unit": unit.code, "unit_name": unit.name}, fields={"proposed_unit": unit})
    return complaint


@transaction.atomic
def complaint_dispose(*, complaint_id: int, actor: User, unit: Unit | None = None,
                      note: str = "", at: dt.datetime | None = None) -> Complaint:
    """Step 3: the team lead dispositions the case to a technical unit (or approves the
    officer's proposal). Starts the first follow-up limit (SPEC §8: 5 working days)."""
    complaint = _load(complaint_id, actor)
    unit = unit or complaint.proposed_unit
    if unit is None:
        raise ValidationFailed(_("Pilih bidang tujuan disposisi."), code="unit_required")
    _check_unit(complaint, unit)
    at, day = _moment(at, complaint)
    calendar = calendar_for_office(complaint.office_id)
    limits = limits_for(complaint.office, complaint.classification)
    _apply(complaint, Action.DISPOSE, EventKind.DISPOSITIONED, actor=actor, actor_kind=None,
           at=at, is_public=True,
           body=note, data={"unit": unit.code, "unit_name": unit.name},
           fields={"unit": unit, "proposed_unit": None, "disposed_on": day,
                   "verified_on": complaint.verified_on or day,
                   "follow_up_due_on": calendar.add_working_days(
                       day, limits.first_follow_up_days)})
    return complaint


@transaction.atomic
def complaint_return_disposition(*, complaint_id: int, actor: User, note: str,
                                 at: dt.datetime | None = None) -> Complaint:
    complaint = _load(complaint_id, actor)
    note = _required(note, _("Tuliskan alasan usulan disposisi dikembalikan."))
    _apply(complaint, Action.RETURN_DISPOSITION, EventKind.DISPOSITION_RETURNED, actor=actor,
           actor_kind=None, at=at, is_public=False, body=note, fields={"proposed_unit": None})
    return complaint


def _check_unit(complaint: Complaint, unit: Unit) -> None:
    if unit.office_id != complaint.office_id or not unit.is_active:
        raise ValidationFailed(_("Bidang tujuan tidak dikenal."), code="unit_unknown")


@transaction.atomic
def complaint_clarify(*, complaint_id: int, actor: User, clarification: str,
                      at: dt.datetime | None = None) -> Complaint:
    """The unit's clarification (Formulir Tindak Lanjut section F). Internal."""
    complaint = _load(complaint_id, actor)
    clarification = _required(clarification, _("Klarifikasi bidang teknis wajib diisi."))
    at, day = _moment(at, complaint)
    _apply(complaint, Action.CLARIFY, EventKind.CLARIFIED, actor=actor, actor_kind=None, at=at,
           is_public=False, body=clarification,
           fields={"findings_note": clarification,
                   "first_follow_up_on": complaint.first_follow_up_on or day})
    return complaint


@transaction.atomic
def complaint_follow_up(*, complaint_id: int, actor: User, note: str,
                        internal_meeting_on: dt.date | None = None,
                        meeting_participants: str = "", technical_team: str = "",
                        fault: str = "", at: dt.datetime | None = None) -> Complaint:
    """Step 4: record follow-up: the unit's action, the internal meeting (rapat intern) and a
    cross-agency technical team; `fault` is "applicant" or "office" (SPEC §4.4)."""
    complaint = _load(complaint_id, actor)
    note = _required(note, _("Uraian tindak lanjut wajib diisi."))
    if fault not in ("", "applicant", "office"):
        raise ValidationFailed(_("Pilihan penyebab masalah tidak dikenal."))
    at, day = _moment(at, complaint)
    if internal_meeting_on and internal_meeting_on < complaint.received_on:
        raise ValidationFailed(_("Tanggal rapat intern tidak boleh sebelum tanggal pengaduan."))
    data = {
        "internal_meeting_on": internal_meeting_on.isoformat() if internal_meeting_on else "",
        "meeting_participants": meeting_participants, "technical_team": technical_team,
        "fault": fault,
    }
    _apply(complaint, Action.FOLLOW_UP, EventKind.FOLLOWED_UP, actor=actor, actor_kind=None,
           at=at, is_public=False, body=note, data=data,
           fields={"first_follow_up_on": complaint.first_follow_up_on or day})
    return complaint


@transaction.atomic
def complaint_respond(*, complaint_id: int, actor: User, response: str,
                      findings: str = "", at: dt.datetime | None = None) -> Complaint:
    """Step 5: the response to the reporter, sent on the channel they used. Starts the
    auto-close limit (SPEC §8: closes itself after 10 working days without reply)."""
    complaint = _load(complaint_id, actor)
    response = _required(response, _("Tanggapan kepada pelapor wajib diisi."))
    at, day = _moment(at, complaint)
    calendar = calendar_for_office(complaint.office_id)
    limits = limits_for(complaint.office, complaint.classification)
    fields: dict[str, Any] = {
        "response_text": response, "responded_on": day,
        "auto_close_on": calendar.add_working_days(day, limits.auto_close_days),
    }
    if findings:
        fields["findings_note"] = findings
    _apply(complaint, Action.RESPOND, EventKind.RESPONDED, actor=actor, actor_kind=None, at=at,
           is_public=True, body=response, fields=fields)
    return complaint


@transaction.atomic
def complaint_conclude(*, complaint_id: int, actor: User, proven: bool, conclusion: str,
                       at: dt.datetime | None = None) -> Complaint:
    """Step 6: the team lead's conclusion. Proven: action per the rules and a thank-you
    letter; not proven: the reported party's good name is restored (SPEC §4.6)."""
    complaint = _load(complaint_id, actor)
    conclusion = _required(conclusion, _("Kesimpulan wajib diisi."))
    _apply(complaint, Action.CONCLUDE, EventKind.CONCLUDED, actor=actor, actor_kind=None, at=at,
           is_public=True, body=conclusion, data={"proven": proven},
           fields={"finding": "proven" if proven else "not_proven",
                   "findings_note": conclusion})
    return complaint


@transaction.atomic
def complaint_close(*, complaint_id: int, actor: User, note: str = "",
                    at: dt.datetime | None = None) -> Complaint:
    """Closure (penutupan) by the complaint team after the response."""
    complaint = _load(complaint_id, actor)
    at, day = _moment(at, complaint)
    _apply(complaint, Action.CLOSE, EventKind.CLOSED, actor=actor, actor_kind=None, at=at,
           is_public=True, body=note or _("Pengaduan selesai dan ditutup."),
           fields={"auto_close_on": None, **_settle_fields(complaint, day)})
    return complaint


@transaction.atomic
def complaint_confirm_satisfaction(*, complaint_id: int, statement: str = "",
                                   at: dt.datetime | None = None) -> Complaint:
    """The reporter confirms satisfaction (surat pernyataan puas): the case closes."""
    complaint = _load(complaint_id, None)
    at, day = _moment(at, complaint)
    _apply(complaint, Action.CONFIRM_SATISFACTION, EventKind.SATISFACTION_CONFIRMED, actor=None,
           actor_kind=REPORTER, at=at, is_public=True,
           body=statement or _("Pelapor menyatakan puas atas penyelesaian pengaduan."),
           fields={"is_satisfied": True, "auto_close_on": None,
                   **_settle_fields(complaint, day)})
    return complaint


@transaction.atomic
def complaint_auto_close(*, complaint_id: int, at: dt.datetime | None = None) -> Complaint:
    """No reply to the final response within the limit: the case closes itself (SPEC §8)."""
    complaint = _load(complaint_id, None)
    at, day = _moment(at, complaint)
    _apply(complaint, Action.AUTO_CLOSE, EventKind.AUTO_CLOSED, actor=None, actor_kind=SYSTEM,
           at=at, is_public=True,
           body=_("Tidak ada balasan dari pelapor dalam batas waktu; pengaduan ditutup "
                  "otomatis."),
           fields={"auto_close_on": None, **_settle_fields(complaint, day)})
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint_id: int, actor: User | None, reason: str,
                     at: dt.datetime | None = None) -> Complaint:
    """The reporter is not satisfied (or staff reopen): back in process. The settlement is
    cleared; the deadline stays counted from the original receipt."""
    complaint = _load(complaint_id, actor)
    reason = _required(reason, _("Tuliskan alasan pengaduan dibuka kembali."))
    _apply(complaint, Action.REOPEN, EventKind.REOPENED, actor=actor,
           actor_kind=REPORTER if actor is None else None, at=at, is_public=True, body=reason,
           fields={"settled_on": None, "working_days_taken": None, "auto_close_on": None,
                   "is_satisfied": False if actor is None else complaint.is_satisfied,
                   "reopened_count": complaint.reopened_count + 1})
    return complaint


@transaction.atomic
def complaint_add_note(*, complaint_id: int, actor: User, body: str) -> CaseEvent:
    """An internal note, by anyone who may see the case; never public, no status change."""
    complaint = _load(complaint_id, actor)
    if not actor.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.UNIT_STAFF, Role.HEAD):
        raise TransitionNotAllowed(_("Peran Anda tidak dapat menambah catatan."),
                                   code="role_not_allowed")
    body = _required(body, _("Catatan tidak boleh kosong."))
    return complaint_note_event(complaint, actor=actor, body=body)


@transaction.atomic
def complaint_add_message(*, complaint_id: int, body: str, data: dict[str, Any],
                          at: dt.datetime | None = None) -> CaseEvent:
    """A later message from the reporter joins the case's conversation (SPEC §2)."""
    complaint = _load(complaint_id, None)
    event = complaint_message_in_event(complaint, body=body, data=data, at=at)
    notify.dispatch(event)
    return event


def complaint_record_notification_problem(*, complaint_id: int, body: str,
                                          data: dict[str, Any]) -> CaseEvent:
    """Put an undelivered message to the reporter on the case's timeline (internal), for the
    officers: the outbox rerouted it or nobody could reach the reporter. No status change and
    no message to the reporter."""
    complaint = Complaint.objects.get(pk=complaint_id)
    return complaint_notification_event(complaint, body=body, data=data)


# --------------------------------------------------------------------------------------------
# Scheduled steps (run daily by the worker)
# --------------------------------------------------------------------------------------------


def complaints_auto_close_due(*, today: dt.date | None = None) -> int:
    """Close every responded case whose auto-close date has passed; returns the count."""
    today = today or timezone.localdate()
    ids = list(Complaint.objects.filter(
        status__in=[Status.RESPONDED, Status.CONCLUDED], auto_close_on__lte=today,
    ).values_list("pk", flat=True))
    for pk in ids:
        complaint_auto_close(complaint_id=pk)
    return len(ids)


def complaints_withdraw_expired(*, today: dt.date | None = None) -> int:
    """Incomplete cases past their completion date count as withdrawn (UU 25/2009)."""
    today = today or timezone.localdate()
    ids = list(Complaint.objects.filter(
        status=Status.INCOMPLETE, completion_due_on__lt=today,
    ).values_list("pk", flat=True))
    for pk in ids:
        complaint_withdraw(complaint_id=pk, actor=None)
    return len(ids)


# --------------------------------------------------------------------------------------------
# Conversation (appended by the notifications work: the officer's free message to the reporter)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_send_message(*, complaint_id: int, actor: User, body: str) -> CaseEvent:
    """A public message from the complaint team to the reporter, outside the procedure's steps
    (e.g. a question in the conversation). Writes a MESSAGE_OUT event; the outbox sends it on
    the channel the complaint came by (SPEC §2). No status change."""
    from aduan.complaints.events import complaint_message_out_event

    complaint = _load(complaint_id, actor)
    if not actor.is_complaint_team:
        raise TransitionNotAllowed(_("Hanya petugas pengaduan yang dapat mengirim pesan kepada "
                                     "pelapor."), code="role_not_allowed")
    body = _required(body, _("Pesan tidak boleh kosong."))
    if len(body) > MAX_DESCRIPTION:
        raise ValidationFailed(_("Pesan terlalu panjang."))
    event = complaint_message_out_event(complaint, actor=actor, body=body, data={})
    notify.dispatch(event)
    return event
