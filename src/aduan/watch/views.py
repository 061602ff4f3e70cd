"""Desk pages of the watch (/desk/pengawasan/): the at-risk and late lists per holder, one
application with its log and actions, the letters, and the import with its mapping step and
progress page. The push endpoint for the licensing system is at the end."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.accounts.models import User
from aduan.core import ratelimit
from aduan.core.cells import neutralise_row
from aduan.core.exceptions import ApplicationError
from aduan.core.exceptions import PermissionDenied as ServicePermissionDenied
from aduan.core.validators import format_phone_local
from aduan.documents.selectors import letterhead_for
from aduan.watch import selectors, services
from aduan.watch.forms import ActionForm, MappingForm, MessageForm, NoteForm, UploadForm
from aduan.watch.importers import (
    FIELDS,
    MAX_IMPORT_BYTES,
    check_mapping,
    check_xlsx,
    file_kind,
    guess_mapping,
    read_headers,
)
from aduan.watch.letters import WatchLetter, build_docx, build_pdf
from aduan.watch.models import (
    ActionKind,
    ColumnMapping,
    ImportJob,
    ImportStatus,
    PermitApplication,
    WatchAction,
    WatchState,
)

ROWS_PER_PAGE = 100
REJECTS_SHOWN = 200


def _allowed(check: Callable[[User], bool]) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: User = request.user  # type: ignore[assignment]
            if user.office_id is None or not check(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _app_or_404(user: User, app_id: int) -> PermitApplication:
    try:
        return selectors.application_detail(user.office_id, app_id)  # type: ignore[arg-type]
    except PermitApplication.DoesNotExist:
        raise Http404 from None


@require_GET
@_allowed(services.may_view)
def watch_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    state = request.GET.get("state", "")
    if state not in ("", WatchState.AT_RISK, WatchState.LATE, WatchState.ON_TRACK,
                     WatchState.WAITING):
        state = ""
    holder = request.GET.get("holder", "")[:200]
    query = request.GET.get("q", "")[:100].strip()
    qs = selectors.watch_list(user.office_id, state=state, holder=holder,  # type: ignore[arg-type]
                              query=query)
    page = Paginator(qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    figures = selectors.dashboard_figures(user.office_id)  # type: ignore[arg-type]
    return render(request, "watch/list.html", {
        "nav": "watch", "page": page, "rows": list(page.object_list), "state": state,
        "holder": holder, "q": query, "holders": selectors.counts_per_holder(user.office_id),  # type: ignore[arg-type]
        "figures": figures, "may_act": services.may_act(user),
        "states": [(WatchState.AT_RISK, WatchState.AT_RISK.label),
                   (WatchState.LATE, WatchState.LATE.label),
                   (WatchState.ON_TRACK, WatchState.ON_TRACK.label),
                   (WatchState.WAITING, WatchState.WAITING.label)],
    })


def _detail_context(user: User, app: PermitApplication) -> dict[str, Any]:
    may_act = services.may_act(user)
    return {
        "nav": "watch", "app": app, "may_act": may_act,
        # The applicant's contacts are personal data: the complaint team only.
        "phone": format_phone_local(app.phone) if may_act else "",
        "email": app.email if may_act else "",
        "actions": selectors.application_actions(app),
        "links": selectors.application_complaints(app),
        "action_form": ActionForm(), "note_form": NoteForm(),
        "message_form": MessageForm(initial={"text": services.applicant_message_preview(app)})
        if may_act else None,
        "destinations": services.applicant_destinations(app) if may_act else [],
        "agency_recipients": services.agency_recipients(app) if may_act else [],
    }


@require_GET
@_allowed(services.may_view)
def watch_detail(request: HttpRequest, app_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    app = _app_or_404(user, app_id)
    return render(request, "watch/detail.html", _detail_context(user, app))


@require_POST
@_allowed(services.may_act)
def watch_action(request: HttpRequest, app_id: int, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    app = _app_or_404(user, app_id)
    try:
        if kind in (ActionKind.PHONE, ActionKind.VISIT):
            form = ActionForm(request.POST)
            if not form.is_valid():
                raise _form_error(form)
            services.action_record(app=app, actor=user, kind=kind, **form.cleaned_data)
        elif kind == ActionKind.LETTER:
            action = services.letter_issue(app=app, actor=user)
            messages.success(request, _("Surat nomor %(number)s dibuat.")
                             % {"number": action.letter_number})
        elif kind == ActionKind.HEAD_REPORT:
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise _form_error(form)
            services.head_report(app=app, actor=user, note=form.cleaned_data["note"])
        elif kind == ActionKind.APPLICANT_MESSAGE:
            form = MessageForm(request.POST)
            if not form.is_valid():
                raise _form_error(form)
            services.applicant_notify(app=app, actor=user, text=form.cleaned_data["text"])
        else:
            raise Http404
    except ServicePermissionDenied:
        raise PermissionDenied from None
    except ApplicationError as error:
        messages.error(request, error.message)
        context = _detail_context(user, app)
        return render(request, "watch/detail.html", context, status=400)
    if kind != ActionKind.LETTER:
        messages.success(request, _("Tindakan dicatat."))
    return redirect("watch:detail", app_id=app.pk)


def _form_error(form: Any) -> ApplicationError:
    text = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return ApplicationError(text or _("Isian tidak valid."))


@require_GET
@_allowed(services.may_view)
def letter_download(request: HttpRequest, action_id: int, fmt: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    action = get_object_or_404(
        WatchAction.objects.select_related("application", "application__office"),
        pk=action_id, application__office_id=user.office_id,
        kind__in=[ActionKind.LETTER, ActionKind.HEAD_REPORT])
    app = action.application
    office = app.office
    is_report = action.kind == ActionKind.HEAD_REPORT
    letter = WatchLetter(
        letterhead=letterhead_for(office), number=action.letter_number,
        dated_on=action.done_on,
        subject=(_("Laporan keterlambatan permohonan %(number)s") if is_report
                 else _("Penyelesaian permohonan %(number)s")) % {"number": app.number},
        addressee=(office.head_title or office.head_name) if is_report
        else (action.contact or app.holder_label or "-"),
        body=action.body, is_report=is_report)
    base = f"surat-{app.number}".replace("/", "-")[:80]
    if fmt == "pdf":
        response = HttpResponse(build_pdf(letter), content_type="application/pdf")
    elif fmt == "docx":
        response = HttpResponse(
            build_docx(letter), content_type="application/vnd.openxmlformats-officedocument"
                                             ".wordprocessingml.document")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{base}.{fmt}"'
    return response


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_allowed(services.may_act)
def import_upload(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            job = _stage_upload(user, upload)
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("watch:import-mapping", job_id=job.pk)
    jobs = ImportJob.objects.filter(office_id=user.office_id)[:10]
    return render(request, "watch/import_upload.html",
                  {"nav": "watch", "form": form, "jobs": jobs,
                   "max_mb": MAX_IMPORT_BYTES // (1024 * 1024)},
                  status=400 if request.method == "POST" else 200)


def _stage_upload(user: User, upload: UploadedFile) -> ImportJob:
    name = (upload.name or "impor")[:200]
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("Berkas terlalu besar (maksimal %(mb)s MB).")
                               % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    if not upload.size:
        raise ApplicationError(_("Berkas kosong."))
    upload.seek(0)
    kind = file_kind(name, upload.read(8192))
    if kind == "xlsx":
        check_xlsx(upload, name)
    upload.seek(0)
    try:
        headers = read_headers(upload, kind)
    except ApplicationError:
        raise
    except Exception:
        raise ApplicationError(_("Berkas \u201c%(name)s\u201d tidak dapat dibaca sebagai %(kind)s.")
                               % {"name": name, "kind": kind.upper()}) from None
    upload.seek(0)
    job = ImportJob(office_id=user.office_id, created_by=user, original_name=name,
                    file_kind=kind, headers=headers)
    job.file.save(f"impor.{kind}", upload, save=False)
    job.save()
    return job


def _job_or_404(user: User, job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=job_id, office_id=user.office_id)


@require_http_methods(["GET", "POST"])
@_allowed(services.may_act)
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    job = _job_or_404(user, job_id)
    if job.status != ImportStatus.MAPPING:
        return redirect("watch:import-progress", job_id=job.pk)
    saved = ColumnMapping.objects.filter(office_id=user.office_id).first()
    initial = guess_mapping(job.headers, saved.mapping if saved else None)
    form = MappingForm(request.POST or None, headers=job.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            check_mapping(mapping, job.headers)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            ColumnMapping.objects.update_or_create(
                office_id=user.office_id, defaults={"mapping": mapping, "updated_by": user})
            job.mapping = mapping
            job.status = ImportStatus.QUEUED
            job.save(update_fields=["mapping", "status", "updated_at"])
            from aduan.watch.tasks import run_import

            run_import.enqueue(job.pk)
            return redirect("watch:import-progress", job_id=job.pk)
    return render(request, "watch/import_mapping.html",
                  {"nav": "watch", "form": form, "job": job, "saved": saved is not None},
                  status=400 if request.method == "POST" else 200)


@require_GET
@_allowed(services.may_act)
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    job = _job_or_404(user, job_id)
    context = {"nav": "watch", "job": job,
               "rejects": list(job.rejected_rows.all()[:REJECTS_SHOWN]),
               "fields": FIELDS}
    template = "watch/_import_status.html" if request.htmx else "watch/import_progress.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
@_allowed(services.may_act)
def import_rejects_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    """The rejected rows with their reasons, to correct and import again. Every cell is
    neutralised: a value from the file is never run as a spreadsheet formula."""
    user: User = request.user  # type: ignore[assignment]
    job = _job_or_404(user, job_id)
    columns = [name for name in FIELDS if name in job.mapping] or list(FIELDS)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impor-{job.pk}-ditolak.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Baris"), *[str(FIELDS[c]) for c in columns], _("Alasan")])
    for row in job.rejected_rows.all().iterator():
        values = row.values if isinstance(row.values, dict) else {}
        writer.writerow(neutralise_row([row.row_number, *[values.get(c, "") for c in columns],
                                        "; ".join(row.errors)]))
    return response


# --------------------------------------------------------------------------------------------
# Push from the licensing system
# --------------------------------------------------------------------------------------------

MAX_PUSH_BYTES = 2 * 1024 * 1024


@csrf_exempt
@require_POST
def push(request: HttpRequest) -> HttpResponse:
    """`POST` JSON `{"applications": [...]}` with `Authorization: Bearer pws_...`."""
    from aduan.watch.push import push_apply, push_authenticate

    try:
        ratelimit.check_rate("watch_push", ratelimit.client_address(request))
    except ratelimit.RateLimited as limited:
        response = JsonResponse({"error": limited.message}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        token = push_authenticate(request.headers.get("Authorization", ""))
    except ServicePermissionDenied as denied:
        return JsonResponse({"error": denied.message}, status=401)
    if len(request.body) > MAX_PUSH_BYTES:
        return JsonResponse({"error": _("Isi permintaan terlalu besar.")}, status=413)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return JsonResponse({"error": _("Isi permintaan bukan JSON yang valid.")}, status=400)
    try:
        result = push_apply(token, payload)
    except ApplicationError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse(result, status=200)
