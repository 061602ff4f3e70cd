"""Report pages: request a report and follow its progress, register exports, the dashboard
for the head and the team lead, and the office's report texts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aduan.accounts.models import User
from aduan.audit.denials import ScopeNotFound
from aduan.complaints.routing import office_is_central_intake, routing_counts
from aduan.core.exceptions import ApplicationError
from aduan.ikm.selectors import service_rating_ikm
from aduan.intake.selectors import inbound_backlog
from aduan.reports import permissions, selectors, services
from aduan.reports.builders.register import register_count
from aduan.reports.dashboard_charts import dashboard_chart_svg
from aduan.reports.forms import PeriodForm, ReportProfileForm, ReportRequestForm, semester_of
from aduan.reports.models import ReportJob, ReportKind, ReportProfile
from aduan.reports.selectors import Period
from aduan.watch.selectors import dashboard_figures

# Register exports up to this many rows are built in the request; longer ones in the background.
DIRECT_REGISTER_ROWS = 3000
# The dashboard lists this many overdue cases (oldest deadline first); the count covers all.
OVERDUE_LISTED = 20
CHARTS = {
    "month": (gettext_lazy("Pengaduan per bulan"), selectors.complaint_counts_by_month, False),
    "channel": (gettext_lazy("Pengaduan per saluran"), selectors.complaint_counts_by_channel, True),
    "status": (gettext_lazy("Pengaduan per status"), selectors.complaint_counts_by_status, True),
    "unit": (gettext_lazy("Pengaduan per bidang"), selectors.complaint_counts_by_unit, True),
    "service_type": (gettext_lazy("Pengaduan per jenis layanan"),
                     selectors.complaint_counts_by_service_type, True),
}


def _allowed(check: Callable[[User], bool]) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):  # type: ignore[arg-type]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _default_period(user: User) -> dict[str, str]:
    latest = selectors.complaint_latest_received_on(user.office) or timezone.localdate()
    start, end = semester_of(latest)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _render(request: HttpRequest, template: str, context: dict[str, Any],
            status: int = 200) -> HttpResponse:
    """Render with the role flags the reports navigation needs."""
    user: User = request.user  # type: ignore[assignment]
    context.setdefault("may_run_reports", permissions.may_run_reports(user))
    context.setdefault("may_see_dashboard", permissions.may_see_dashboard(user))
    context.setdefault("may_edit_texts", permissions.may_edit_texts(user))
    return render(request, template, context, status=status)


def _job_or_404(user: User, pk: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk, office_id=user.office_id).first()
    if job is None or (job.requested_by_id != user.pk and not permissions.may_run_reports(user)):
        raise ScopeNotFound(object_type="report_job", object_id=pk)
    return job


@require_GET
@_allowed(permissions.may_run_reports)
def index(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ReportRequestForm(initial={**_default_period(user), "kind": ReportKind.SEMESTER_DOCX})
    return _index(request, form)


def _index(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    jobs = ReportJob.objects.filter(office_id=user.office_id).select_related(
        "requested_by")[:20]
    return _render(request, "reports/index.html", {"form": form, "jobs": jobs, "nav": "reports"},
                   status=status)


@require_POST
@_allowed(permissions.may_export_register)
def job_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        if not permissions.may_run_reports(user):
            raise PermissionDenied
        return _index(request, form, status=400)
    try:
        job = services.report_job_request(actor=user, kind=form.cleaned_data["kind"],
                                          start=form.cleaned_data["start"],
                                          end=form.cleaned_data["end"])
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("reports:index") if permissions.may_run_reports(user) \
            else redirect("desk:register")
    return redirect("reports:job-detail", pk=job.pk)


@require_GET
@_allowed(permissions.may_export_register)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)  # type: ignore[arg-type]
    return _render(request, "reports/job_detail.html", {"job": job, "nav": "reports"})


@require_GET
@_allowed(permissions.may_export_register)
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)  # type: ignore[arg-type]
    return render(request, "reports/_job_status.html", {"job": job})


@require_GET
@_allowed(permissions.may_export_register)
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_or_404(request.user, pk)  # type: ignore[arg-type]
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)


def _register(request: HttpRequest, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _render(request, "reports/register_export.html",
                      {"form": form, "kind": kind, "nav": "register"}, status=400)
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    count = register_count(user, period)
    if count > DIRECT_REGISTER_ROWS:
        return _render(request, "reports/register_export.html", {
            "form": form, "kind": kind, "count": count, "too_large": True, "nav": "register"})
    from aduan.reports.generate import generate_document  # the builders: heavy libraries

    try:
        document = generate_document(user.office, kind, period.start, period.end, viewer=user)
    except ApplicationError as error:
        return _render(request, "reports/register_export.html",
                      {"form": form, "kind": kind, "error": error.message, "nav": "register"},
                      status=400)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    return response


@require_GET
@_allowed(permissions.may_export_register)
def register_xlsx(request: HttpRequest) -> HttpResponse:
    return _register(request, ReportKind.REGISTER_XLSX)


@require_GET
@_allowed(permissions.may_export_register)
def register_pdf(request: HttpRequest) -> HttpResponse:
    return _register(request, ReportKind.REGISTER_PDF)


def _dashboard_period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    user: User = request.user  # type: ignore[assignment]
    form = PeriodForm(request.GET if "start" in request.GET else _default_period(user))
    if not form.is_valid():
        return form, None
    return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])


def _open_breaches(user: User) -> list:
    """The breach register's 72-hour clocks, for those who handle breaches (aduan.rights)."""
    from aduan.rights.breaches import breaches_open, may_handle_breaches

    return breaches_open(user.office_id) if may_handle_breaches(user) else []  # type: ignore[arg-type]


@require_GET
@_allowed(permissions.may_see_dashboard)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, period = _dashboard_period(request)
    context: dict[str, Any] = {"form": form, "nav": "dashboard",
                               "inbound": inbound_backlog(user.office_id),
                               # The permit watch's panel (aduan.watch), one query.
                               "watch": dashboard_figures(
                                   user.office_id,  # type: ignore[arg-type]
                                   since=period.start if period else None),
                               "breaches": _open_breaches(user),
                               # A central intake's routing limit (complaints/routing.py).
                               "routing": routing_counts(user)
                               if office_is_central_intake(user.office_id) else None}
    if period:
        as_of = min(period.end, timezone.localdate())
        # The list and the count of overdue cases in one query, the count reused by the KPIs.
        overdue, overdue_count = selectors.complaints_open_overdue_first(
            user.office, as_of=as_of, period=period, limit=OVERDUE_LISTED)
        stats = selectors.complaint_statistics(user.office, period, as_of=as_of,
                                               overdue=overdue_count)
        context.update({
            "ikm": service_rating_ikm(user.office, period),
            "stats": stats, "period": period, "overdue_cases": overdue, "query": request.GET.urlencode() or
            f"start={period.start.isoformat()}&end={period.end.isoformat()}",
            "charts": [(key, title, {"month": stats.by_month, "channel": stats.by_channel,
                                     "status": stats.by_status, "unit": stats.by_unit,
                                     "service_type": stats.by_service_type}[key])
                       for key, (title, _fn, _h) in CHARTS.items()],
        })
    return _render(request, "reports/dashboard.html", context,
                  status=200 if period else 400)


@require_GET
@_allowed(permissions.may_see_dashboard)
def dashboard_chart(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart of the dashboard as SVG, drawn locally from one aggregation."""
    if chart not in CHARTS:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    _form, period = _dashboard_period(request)
    if period is None:
        return HttpResponse(_("Periode tidak valid."), status=400, content_type="text/plain")
    _title, selector, horizontal = CHARTS[chart]
    rows = selector(user.office, period)
    svg = dashboard_chart_svg([r.label for r in rows], [r.count for r in rows],
                              horizontal=horizontal)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_http_methods(["GET", "POST"])
@_allowed(permissions.may_edit_texts)
def texts(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    profile = ReportProfile.objects.filter(office_id=user.office_id).first() or ReportProfile(
        office_id=user.office_id)
    form = ReportProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_profile_update(office=user.office, actor=user,
                                           data=form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Teks laporan disimpan."))
            return redirect("reports:texts")
    return _render(request, "reports/texts.html", {"form": form, "nav": "texts"},
                  status=400 if request.method == "POST" else 200)


