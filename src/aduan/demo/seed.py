"""Load the 32 seed complaints through the real services, so each has a true timeline."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints import services
from aduan.complaints.events import complaint_corrected_event
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.core.exceptions import ValidationFailed
from aduan.demo.seed_data import SEED_CASES, SeedCase
from aduan.offices.models import Classification, Office

JAKARTA = ZoneInfo("Asia/Jakarta")
MANUAL_CHANNELS = {"meja_pengaduan"}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=JAKARTA)


def seed_loaded(office: Office) -> bool:
    return CaseEvent.objects.filter(
        complaint__office=office, kind=EventKind.RECEIVED, data__has_key="seed_no"
    ).exists()


def load_seed_complaints(office: Office) -> int:
    """Register and walk each seed case to its reported state; idempotent."""
    if seed_loaded(office):
        return 0
    users = {u.username: u for u in User.objects.filter(office=office)}
    for case in SEED_CASES:
        with transaction.atomic():
            _load_case(office, case, users)
    return len(SEED_CASES)


def _classification(case: SeedCase) -> str:
    if case.outcome in {"answered", "referred"}:
        return Classification.INFORMATION_REQUEST
    return Classification.COMPLAINT


def _load_case(office: Office, case: SeedCase, users: dict[str, User]) -> Complaint:
    officer, lead = users["petugas"], users["ketua"]
    unit_a, unit_b = users["perizinan_a"], users["perizinan_b"]
    channel = office.channels.get(code=case.channel)
    service_type = office.service_types.filter(code=case.service_type).first() \
        if case.service_type else None
    complaint = services.complaint_register(
        office=office, channel=channel, subject=case.subject, description=case.description,
        reporter=services.ReporterInput(
            name=case.reporter_name, nik=case.nik, address=case.address, phone=case.phone,
            email=case.email, consent=True, consent_basis="public_task"),
        received_at=_at(case.received_on, 9), classification=_classification(case),
        service_type=service_type, company_name=case.company_name,
        lapor_tracking_id=case.lapor_tracking_id,
        created_by=officer if case.channel in MANUAL_CHANNELS else None,
        data={"seed_no": case.no},
    )
    pk = complaint.pk
    settled_at = _settled_at(complaint, case, officer)
    received = _at(case.received_on, 10)
    if case.outcome == "answered":
        services.complaint_answer(complaint_id=pk, actor=officer, answer=case.follow_up,
                                  findings=case.findings, at=settled_at)
    elif case.outcome == "referred":
        agency = office.agencies.get(code=case.agency)
        services.complaint_refer(complaint_id=pk, actor=officer, agency=agency,
                                 reply=case.follow_up, findings=case.findings, at=settled_at)
    elif case.outcome == "lapor_referred":
        services.complaint_verify(complaint_id=pk, actor=officer,
                                  checklist=services.Checklist(chronology_present=True),
                                  note=case.findings, at=received)
        services.complaint_respond(complaint_id=pk, actor=officer, response=case.follow_up,
                                   findings=case.findings, at=settled_at)
        services.complaint_close(complaint_id=pk, actor=officer, at=settled_at)
    elif case.outcome == "dispositioned":
        services.complaint_verify(complaint_id=pk, actor=officer,
                                  checklist=services.Checklist(chronology_present=True),
                                  at=received)
        services.complaint_dispose(complaint_id=pk, actor=lead,
                                   unit=office.units.get(code="perizinan-a"), at=received)
        services.complaint_follow_up(complaint_id=pk, actor=unit_a, note=case.follow_up,
                                     at=settled_at)
        services.complaint_respond(complaint_id=pk, actor=officer, response=case.follow_up,
                                   findings=case.findings, at=settled_at)
        services.complaint_close(complaint_id=pk, actor=officer, at=settled_at)
    elif case.outcome == "field_team":
        services.complaint_verify(complaint_id=pk, actor=officer, checklist=services.Checklist(
            chronology_present=True), at=received)
        services.complaint_dispose(complaint_id=pk, actor=lead,
                                   unit=office.units.get(code="perizinan-b"), at=received)
        services.complaint_follow_up(
            complaint_id=pk, actor=unit_b, note=case.findings, at=settled_at,
            internal_meeting_on=case.received_on,
            meeting_participants="Kepala Dinas, Sekretaris, Bidang Perizinan A dan B",
            technical_team="DLH, Disnaker, Disperindag, PUPR, Dishub, Disbun, Camat Pinggir",
            fault="applicant")
        services.complaint_respond(complaint_id=pk, actor=officer, response=case.follow_up,
                                   findings=case.findings, at=settled_at)
        services.complaint_conclude(complaint_id=pk, actor=lead, proven=True,
                                    conclusion=case.findings, at=settled_at)
        services.complaint_close(complaint_id=pk, actor=officer, at=settled_at)
    elif case.outcome == "in_process":
        services.complaint_verify(complaint_id=pk, actor=officer, checklist=services.Checklist(
            ktp_seen=True, chronology_present=True), at=received)
        services.complaint_propose_disposition(
            complaint_id=pk, actor=officer, unit=office.units.get(code="perizinan-a"),
            note=case.findings, at=received)
        services.complaint_dispose(complaint_id=pk, actor=lead, at=received)
        services.complaint_clarify(
            complaint_id=pk, actor=unit_a, at=_at(case.received_on, 14),
            clarification=case.follow_up)
        services.complaint_follow_up(
            complaint_id=pk, actor=unit_a, at=_at(case.received_on, 15),
            note=_("Berkoordinasi dengan Dinas Kesehatan terkait penerbitan izin Tenaga Teknisi "
                   "Pelayanan Darah, sambil menyiapkan perubahan keputusan Bupati tentang "
                   "pelimpahan wewenang."), fault="office")
    else:
        raise ValueError(f"unknown outcome {case.outcome}")
    return complaint


def _settled_at(complaint: Complaint, case: SeedCase, officer: User) -> dt.datetime:
    """The seed's settlement time; a date before the complaint date (case 26) is the data-entry
    error the system refuses, so it is recorded as a correction instead."""
    if case.settled_on is None:
        return _at(case.received_on, 14)
    if case.settled_on >= case.received_on:
        return _at(case.settled_on, 14)
    try:
        services._moment(_at(case.settled_on, 14), complaint)
    except ValidationFailed as refusal:
        complaint_corrected_event(
            complaint, actor=officer, field="settled_on", old=case.settled_on,
            new=case.received_on,
            reason=_("Laporan asli mencatat tanggal selesai %(old)s, sebelum tanggal pengaduan; "
                     "sistem menolak tanggal itu (%(why)s) dan mencatat tanggal pengaduan.")
            % {"old": case.settled_on.isoformat(), "why": refusal.message})
    return _at(case.received_on, 14)
