"""Reading data-subject requests: the desk's list with its 72-hour clock, the PDP report's
export, and the summary of what the office holds about a reporter (the answer to "see")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.audit.models import AuditRecord
from aduan.complaints.models import Complaint
from aduan.complaints.selectors import reporter_for_staff
from aduan.core.exceptions import NotFound
from aduan.core.masking import mask_nik
from aduan.rights.models import DataRequest, RequestKind, RequestStatus, RequestVia


def may_handle_requests(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.office_id and user.is_complaint_team)


def data_requests_for(user: User, *, status: str = "") -> QuerySet[DataRequest]:
    """The office's requests, open ones first by their deadline, then the answered, newest
    first."""
    if user.office_id is None:
        return DataRequest.objects.none()
    qs = DataRequest.objects.filter(office_id=user.office_id).select_related(
        "complaint", "handled_by")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-status", "due_at") if status == RequestStatus.OPEN else qs.order_by(
        "-received_at", "-id")


def data_requests_open_for(user: User) -> list[DataRequest]:
    return list(data_requests_for(user, status=RequestStatus.OPEN).order_by("due_at", "id"))


def data_request_get(user: User, request_id: int) -> DataRequest:
    if user.office_id is None:
        raise NotFound()
    request = (DataRequest.objects.select_related("complaint", "reporter", "handled_by",
                                                  "registered_by")
               .filter(pk=request_id, office_id=user.office_id).first())
    if request is None:
        raise NotFound()
    return request


def data_request_trail(request: DataRequest) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(object_type="data_request",
                                           object_id=str(request.pk)).order_by("created_at", "id"))


@dataclass(frozen=True)
class Clock:
    """Where a request stands against its 72 hours."""

    hours_left: int
    is_overdue: bool
    answered_late: bool | None


def request_clock(request: DataRequest, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    if request.answered_at is not None:
        return Clock(hours_left=0, is_overdue=False,
                     answered_late=request.answered_at > request.due_at)
    seconds = (request.due_at - now).total_seconds()
    return Clock(hours_left=int(seconds // 3600), is_overdue=seconds < 0, answered_late=None)


def reporter_data_summary(user: User, complaint: Complaint) -> str:
    """What the office holds about the reporter of `complaint`, as text for the answer to an
    access request. Reading it is an identity view: logged (IdentityAccess). The NIK is sent
    masked: the reporter knows it, a message may be read by others."""
    view = reporter_for_staff(user, complaint, purpose="data_request")
    reporter = complaint.reporter
    cases = list(Complaint.objects.filter(reporter=reporter).order_by("received_at")
                 .values_list("register_number", "received_on", "status"))
    lines = [_("Data pribadi Anda yang kami simpan:"),
             f"- {_('Nama')}: {view.name or '-'}",
             f"- NIK: {mask_nik(reporter.nik) if reporter.nik else '-'}",
             f"- {_('Alamat')}: {view.address or '-'}",
             f"- {_('Pekerjaan')}: {view.occupation or '-'}",
             f"- {_('Telepon')}: {view.phone or '-'}",
             f"- {_('E-mail')}: {view.email or '-'}",
             f"- {_('Identitas dirahasiakan')}: {_('ya') if reporter.is_confidential else _('tidak')}",
             "",
             _("Pengaduan Anda:")]
    lines += [f"- {number} ({received:%d-%m-%Y})" for number, received, _status in cases]
    lines += ["", _("Data ini dipakai hanya untuk menangani pengaduan Anda dan disimpan sampai "
                    "%(years)s tahun setelah pengaduan selesai.")
              % {"years": complaint.office.retention_years}]
    return "\n".join(lines)


EXPORT_HEADER = ["nomor", "jenis", "diajukan_melalui", "diterima", "batas_jawaban", "dijawab",
                 "tepat_waktu", "status", "ditangani_oleh", "nomor_pengaduan"]


def data_request_export_rows(user: User, *, year: int | None = None) -> list[list[str]]:
    """The PDP report's table: one row per request, no personal data (number, kind, channel,
    times, whether it was answered within 72 hours, outcome, who handled it, the case)."""
    if user.office_id is None:
        return [list(EXPORT_HEADER)]
    qs = DataRequest.objects.filter(office_id=user.office_id).select_related(
        "complaint", "handled_by").order_by("received_at", "id")
    if year:
        qs = qs.filter(received_at__year=year)
    local = timezone.localtime
    rows = [list(EXPORT_HEADER)]
    for r in qs:
        rows.append([
            r.number, str(RequestKind(r.kind).label), str(RequestVia(r.via).label),
            local(r.received_at).strftime("%Y-%m-%d %H:%M"),
            local(r.due_at).strftime("%Y-%m-%d %H:%M"),
            local(r.answered_at).strftime("%Y-%m-%d %H:%M") if r.answered_at else "",
            "" if r.answered_at is None else (_("ya") if r.answered_at <= r.due_at
                                              else _("tidak")),
            str(RequestStatus(r.status).label),
            r.handled_by.username if r.handled_by else "",
            r.complaint.register_number])
    return rows
