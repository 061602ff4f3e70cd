"""Desk pages for data-subject requests: the list with the 72-hour clock, registering a request
on a reporter's behalf, working one (answer, carry out), and the PDP report's export."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from aduan.accounts.models import User
from aduan.audit.denials import ScopeNotFound
from aduan.core.cells import neutralise_row
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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        writer = csv.writer(response)
        for row in rows:
            writer.writerow(neutralise_row(row))
        return response
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
