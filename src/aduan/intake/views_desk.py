"""Desk pages of the inbound channels: messages for review, SP4N-LAPOR! record and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aduan.audit.denials import ScopeNotFound
from aduan.core.exceptions import ApplicationError
from aduan.core.exceptions import NotFound as DomainNotFound
from aduan.intake import selectors, services
from aduan.intake.adapters import lapor
from aduan.intake.forms import LaporImportForm, LaporRecordForm, RegisterForm, ResolveForm

RAW_PREVIEW = 200_000


def _message_not_found(action: str, message_id: int) -> ScopeNotFound:
    """Another office's message (or none at all): 404, recorded as a scope denial."""
    return ScopeNotFound(action=action, object_type="inbound_message", object_id=message_id)


def _team(request: HttpRequest) -> None:
    if not request.user.is_complaint_team:  # type: ignore[union-attr]
        raise PermissionDenied


@login_required
def inbound_list(request: HttpRequest) -> HttpResponse:
    _team(request)
    items = list(selectors.inbound_list_for_review(request.user)[:200])  # type: ignore[arg-type]
    rows = [(m, selectors.inbound_masked_sender(m), selectors.inbound_is_actionable(m))
            for m in items]
    return render(request, "intake/inbound/list.html", {
        "rows": rows, "nav": "channels", "backlog": selectors.inbound_backlog(request.user.office_id)})  # type: ignore[union-attr]


@login_required
def inbound_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    _team(request)
    try:
        item = selectors.inbound_get_for_review(request.user, message_id)  # type: ignore[arg-type]
    except DomainNotFound:
        raise _message_not_found("inbound.view", message_id) from None
    raw = bytes(item.raw[:RAW_PREVIEW]).decode("utf-8", errors="replace")
    return render(request, "intake/inbound/detail.html", {"nav": "channels",
        "item": item, "raw": raw, "actionable": selectors.inbound_is_actionable(item), "resolve_form": ResolveForm(),
        "register_form": RegisterForm(initial={"description": item.body,
                                               "reporter_name": item.sender_name})})


@login_required
@require_POST
def inbound_resolve(request: HttpRequest, message_id: int) -> HttpResponse:
    _team(request)
    form = ResolveForm(request.POST)
    try:
        services.inbound_resolve(message_id=message_id, actor=request.user,  # type: ignore[arg-type]
                                 note=form.data.get("note", ""))
        messages.success(request, _("Pesan ditandai sudah ditangani."))
        return redirect("intake_desk:inbound-list")
    except DomainNotFound:
        raise _message_not_found("inbound.resolve", message_id) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("intake_desk:inbound-detail", message_id=message_id)


@login_required
@require_POST
def inbound_retry(request: HttpRequest, message_id: int) -> HttpResponse:
    _team(request)
    try:
        message = services.inbound_retry(message_id=message_id,
                                         actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Pesan diproses ulang: %(status)s.")
                         % {"status": message.get_parse_status_display()})
    except DomainNotFound:
        raise _message_not_found("inbound.retry", message_id) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    if request.POST.get("next") == "list":
        return redirect("intake_desk:inbound-list")
    return redirect("intake_desk:inbound-detail", message_id=message_id)


@login_required
@require_POST
def inbound_register(request: HttpRequest, message_id: int) -> HttpResponse:
    _team(request)
    form = RegisterForm(request.POST)
    try:
        complaint = services.inbound_register_complaint(
            message_id=message_id, actor=request.user,  # type: ignore[arg-type]
            description=form.data.get("description", ""),
            reporter_name=form.data.get("reporter_name", ""))
        messages.success(request, _("Pengaduan %(number)s didaftarkan.")
                         % {"number": complaint.register_number})
        return redirect("intake_desk:inbound-list")
    except DomainNotFound:
        raise _message_not_found("inbound.register", message_id) from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("intake_desk:inbound-detail", message_id=message_id)


@login_required
def lapor_index(request: HttpRequest) -> HttpResponse:
    """The LAPOR! page: record one report (POST), or list the recorded ones with limits."""
    _team(request)
    form = LaporRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = lapor.lapor_record(
                office=request.user.office,  # type: ignore[union-attr]
                report=lapor.LaporReport(**form.cleaned_data), actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Laporan LAPOR! %(id)s dicatat sebagai pengaduan "
                                        "%(number)s.") % {"id": complaint.lapor_tracking_id,
                                                          "number": complaint.register_number})
            return redirect("intake_desk:lapor")
        except ApplicationError as exc:
            form.add_error(None, lapor.error_text(exc))
    complaints = selectors.lapor_complaint_list(request.user)[:100]  # type: ignore[arg-type]
    return render(request, "intake/lapor/index.html", {"nav": "channels",
        "form": form, "import_form": LaporImportForm(), "complaints": complaints})


@login_required
def lapor_import(request: HttpRequest) -> HttpResponse:
    """Upload an export: the file is checked at once, its rows are imported by a background
    job, and the officer lands on the job's progress page."""
    _team(request)
    form = LaporImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = lapor.lapor_import_start(
                office=request.user.office,  # type: ignore[union-attr]
                content=upload.read(),
                filename=upload.name, actor=request.user)  # type: ignore[arg-type]
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            from aduan.intake.tasks import run_lapor_import

            run_lapor_import.enqueue(job.pk)
            return redirect("intake_desk:lapor-import-job", job_id=job.pk)
    jobs = selectors.lapor_import_jobs(request.user)[:10]  # type: ignore[arg-type]
    return render(request, "intake/lapor/import.html", {"nav": "channels",
        "form": form, "columns": lapor.COLUMNS, "jobs": jobs},
        status=422 if form.errors else 200)


@login_required
def lapor_import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress, then the summary: counts first, then only the rows with problems. htmx polls
    the status part while the job runs."""
    _team(request)
    job = get_object_or_404(selectors.lapor_import_jobs(request.user), pk=job_id)  # type: ignore[arg-type]
    template = ("intake/lapor/_import_status.html" if request.headers.get("HX-Request")
                else "intake/lapor/import_job.html")
    return render(request, template, {"nav": "channels", "job": job})


@login_required
@require_POST
def media_fetch_retry(request: HttpRequest, fetch_id: int) -> HttpResponse:
    """An officer fetches a pending attachment now; back to the case page either way."""
    from aduan.intake.media_fetches import media_fetch_retry as retry
    from aduan.intake.models import MediaFetch, MediaFetchStatus

    _team(request)
    not_found = ScopeNotFound(action="media_fetch.retry", object_type="media_fetch",
                              object_id=fetch_id)
    complaint_id = (MediaFetch.objects.filter(pk=fetch_id)
                    .values_list("complaint_id", flat=True).first())
    if complaint_id is None:
        raise not_found
    try:
        row = retry(fetch_id=fetch_id, actor=request.user)  # type: ignore[arg-type]
    except DomainNotFound:
        raise not_found from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if row.status == MediaFetchStatus.FETCHED:
            messages.success(request, _("Lampiran berhasil diambil."))
        else:
            messages.error(request, _("Lampiran belum dapat diambil: %(error)s")
                           % {"error": row.last_error})
    return redirect("desk:complaint-detail", complaint_id=complaint_id)
