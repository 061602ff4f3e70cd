"""Desk pages for data-subject requests: the list with the 72-hour clock, registering a request
on a reporter's behalf, working one (answer, carry out), and the PDP report's export."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.accounts.models import User
from aduan.audit.denials import ScopeNotFound
from aduan.audit.models import AuditRecord
from aduan.core.cells import csv_attachment, neutralise_row
from aduan.core.exceptions import ApplicationError, NotFound
from aduan.desk.views.common import complaint_or_404, staff_required
from aduan.rights.forms import AnswerForm, RegisterForm
from aduan.rights.models import RequestKind, RequestStatus, RequestVia
from aduan.rights.selectors import (
    data_request_export_rows,
    data_request_get,
    data_request_trail,
    data_requests_for,
    may_handle_requests,
    reporter_data_summary,
    request_clock,
)
from aduan.rights.services import Correction, data_request_answer, data_request_register


def _team(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_handle_requests(user):
        raise PermissionDenied
    return user


@staff_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = _team(request)
    status = request.GET.get("status", "")
    now = timezone.now()
    rows = [(r, request_clock(r, now)) for r in data_requests_for(user, status=status)[:500]]
    return render(request, "rights/list.html", {
        "rows": rows, "status": status, "statuses": RequestStatus.choices, "nav": "rights",
        "year": timezone.localdate().year})


@staff_required
@require_http_methods(["GET", "POST"])
def request_register(request: HttpRequest, complaint_id: int) -> HttpResponse:
    user = _team(request)
    complaint = complaint_or_404(user, complaint_id)
    form = RegisterForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            created = data_request_register(
                complaint=complaint, kind=form.cleaned_data["kind"],
                detail=form.cleaned_data["detail"], via=RequestVia.OFFICER, actor=user)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("rights:detail", request_id=created.pk)
    return render(request, "rights/register.html", {
        "form": form, "complaint": complaint, "error": error, "nav": "rights"},
        status=422 if request.method == "POST" else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _team(request)
    try:
        item = data_request_get(user, request_id)
    except NotFound:
        raise ScopeNotFound(object_type="data_request", object_id=request_id) from None
    error = ""
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                data_request_answer(
                    request_id=item.pk, actor=user, answer=data["answer"],
                    fulfil=data["decision"] == "fulfil",
                    correction=Correction(**{k: data[k] for k in (
                        "name", "address", "occupation", "phone", "email")}))
            except ApplicationError as exc:
                error = exc.message
                for field, messages in exc.extra.get("errors", {}).items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("rights:detail", request_id=item.pk)
    else:
        initial = {"decision": "fulfil"}
        if item.is_open and item.kind == RequestKind.ACCESS and item.reporter.anonymised_at is None:
            initial["answer"] = reporter_data_summary(user, item.complaint)
        form = AnswerForm(initial=initial)
    return render(request, "rights/detail.html", {
        "item": item, "clock": request_clock(item), "trail": data_request_trail(item),
        "form": form, "error": error, "nav": "rights",
        "case_url": reverse("desk:complaint-detail", kwargs={"complaint_id": item.complaint_id}),
    }, status=422 if request.method == "POST" else 200)


@staff_required
@require_GET
def request_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _team(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    rows = data_request_export_rows(user, year=year)
    name = f"permintaan-data-pribadi-{year or 'semua'}"
    if fmt == "csv":
        return csv_attachment(f"{name}.csv", rows)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Permintaan"
    for row in rows:
        sheet.append(neutralise_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- Breach register ------------------------------------------------------------------------


def _breach_team(request: HttpRequest) -> User:
    from aduan.rights.breaches import may_handle_breaches

    user: User = request.user  # type: ignore[assignment]
    if not may_handle_breaches(user):
        raise PermissionDenied
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def breach_list(request: HttpRequest) -> HttpResponse:
    from aduan.complaints.models import Complaint
    from aduan.rights.breaches import Scope, breach_clock, breach_record
    from aduan.rights.forms import BreachForm
    from aduan.rights.models import Breach

    user = _breach_team(request)
    form = BreachForm(request.POST or None, office_id=user.office_id,  # type: ignore[arg-type]
                      initial={"discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["scope_case"]:
            case = Complaint.objects.filter(office_id=user.office_id,
                                            register_number=data["scope_case"].strip()).first()
            if case is None:
                form.add_error("scope_case", _("Nomor register tidak ditemukan."))
        if form.is_valid():
            try:
                breach = breach_record(
                    actor=user, title=data["title"], description=data["description"],
                    discovered_at=data["discovered_at"], data_concerned=data["data_concerned"],
                    measures=data["measures"], scope=Scope(
                        start=data["scope_start"], end=data["scope_end"],
                        channel=data["scope_channel"], unit=data["scope_unit"], complaint=case))
            except ApplicationError as exc:
                error = exc.message
            else:
                return redirect("rights:breach", breach_id=breach.pk)
    now = timezone.now()
    rows = [(b, breach_clock(b, now)) for b in Breach.objects.filter(
        office_id=user.office_id).order_by("-discovered_at", "-id")[:200]]
    return render(request, "rights/breach_list.html", {
        "form": form, "rows": rows, "error": error, "nav": "rights"},
        status=422 if request.method == "POST" else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def breach_detail(request: HttpRequest, breach_id: int) -> HttpResponse:
    from aduan.rights.breaches import (
        breach_clock,
        breach_close,
        breach_mark_authority_notified,
        breach_notify_reporters,
        breach_summary,
        breach_update_notices,
    )
    from aduan.rights.forms import BreachNoticesForm
    from aduan.rights.models import Breach

    user = _breach_team(request)
    breach = Breach.objects.filter(pk=breach_id, office_id=user.office_id).select_related(
        "scope_channel", "scope_unit", "scope_complaint", "recorded_by").first()
    if breach is None:
        raise ScopeNotFound(object_type="breach", object_id=breach_id)
    error = done = ""
    form = BreachNoticesForm(initial={"reporter_notice": breach.reporter_notice,
                                      "authority_notice": breach.authority_notice})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "notices":
                form = BreachNoticesForm(request.POST)
                if form.is_valid():
                    breach_update_notices(breach_id=breach.pk, actor=user, **form.cleaned_data)
                    done = _("Teks pemberitahuan disimpan.")
            elif action == "notify":
                sent = breach_notify_reporters(breach_id=breach.pk, actor=user)
                done = _("Pemberitahuan dikirim kepada %(n)s pelapor.") % {"n": sent}
            elif action == "authority":
                breach_mark_authority_notified(breach_id=breach.pk, actor=user)
                done = _("Pemberitahuan kepada lembaga pengawas dicatat terkirim.")
            elif action == "close":
                breach_close(breach_id=breach.pk, actor=user)
                done = _("Insiden ditutup.")
        except ApplicationError as exc:
            error = exc.message
        breach.refresh_from_db()
    trail = list(AuditRecord.objects.filter(object_type="breach", object_id=str(breach.pk))
                 .order_by("created_at", "id"))
    return render(request, "rights/breach_detail.html", {
        "breach": breach, "clock": breach_clock(breach), "summary": breach_summary(breach),
        "form": form, "error": error, "done": done, "trail": trail, "nav": "rights"},
        status=422 if error else 200)
