"""The regency dashboard (issue 18): figures per office and per unit of an office, for the
oversight role only, with CSV and XLSX exports of the table. Aggregates only: no case, no
reporter, no case text; the oversight role sees no case anywhere (complaints/access.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aduan.core.cells import csv_attachment, neutralise_row
from aduan.offices.models import Office
from aduan.oversight import selectors
from aduan.oversight.forms import RegencyPeriodForm
from aduan.oversight.permissions import may_see_regency
from aduan.reports.forms import semester_of
from aduan.reports.selectors import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def regency_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in with the oversight role; any other staff member gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_see_regency(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _period(request: HttpRequest, offices: list[Office]) -> tuple[RegencyPeriodForm,
                                                                   Period | None]:
    """The period asked for, else the semester of the newest case (the desk dashboard's
    default)."""
    if "start" in request.GET or "end" in request.GET:
        form = RegencyPeriodForm(request.GET)
    else:
        start, end = semester_of(selectors.regency_latest_received_on(offices)
                                 or timezone.localdate())
        form = RegencyPeriodForm({"start": start.isoformat(), "end": end.isoformat()})
    if not form.is_valid():
        return form, None
    return form, Period(form.cleaned_data["start"], form.cleaned_data["end"])


def _office_or_404(code: str) -> Office:
    office = selectors.regency_office(code)
    if office is None:
        raise Http404
    return office


_CODE = "0code0"


def _office_link() -> tuple[str, str]:
    """The office page's address around its code, reversed once for the table's 50 links
    instead of once per line (3.8 ms of CPU at 50 offices, docs/benchmarks.md)."""
    before, after = reverse("oversight:office", args=[_CODE]).split(_CODE)
    return before, after


def _query(period: Period) -> str:
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


@require_GET
@regency_required
def dashboard(request: HttpRequest) -> HttpResponse:
    offices = selectors.regency_offices()
    form, period = _period(request, offices)
    context: dict[str, Any] = {"form": form, "nav": "regency", "office_count": len(offices)}
    if period is not None:
        figures = selectors.regency_figures(period, as_of=timezone.localdate(), offices=offices)
        context.update({"figures": figures, "period": period, "query": _query(period),
                        "office_link": _office_link()})
    return render(request, "oversight/dashboard.html", context,
                  status=200 if period is not None else 400)


@require_GET
@regency_required
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = _office_or_404(code)
    form, period = _period(request, [office])
    context: dict[str, Any] = {"form": form, "nav": "regency", "office": office}
    if period is not None:
        line, units = selectors.office_page_figures(office, period, as_of=timezone.localdate())
        context.update({"office_figures": line, "figures": units, "period": period,
                        "query": _query(period)})
    return render(request, "oversight/office.html", context,
                  status=200 if period is not None else 400)


HEADER = ["kode", "nama", "diterima", "dalam_proses", "melewati_batas_waktu", "selesai",
          "selesai_tepat_waktu", "selesai_terlambat", "persen_tepat_waktu", "ikm", "mutu_ikm",
          "responden_ikm", "diteruskan", "penerusan_ditolak", "median_hari_kerja_sampai_diteruskan",
          "maks_hari_kerja_sampai_diteruskan"]


def _percent(share: float | None) -> float | str:
    return "" if share is None else round(100 * share, 1)


def table_rows(figures: selectors.RegencyFigures) -> list[list[Any]]:
    """The table as the exports write it: a header, a line per office or unit, the total."""
    out: list[list[Any]] = [HEADER]
    for row in [*figures.rows, figures.total]:
        ikm, hops = row.ikm, row.transfers
        out.append([row.key, row.label, row.total, row.in_process, row.overdue, row.settled,
                    row.on_time, row.late, _percent(row.on_time_share),
                    "" if ikm is None or ikm.ikm is None else float(ikm.ikm),
                    "" if ikm is None or ikm.grade is None else ikm.grade.letter,
                    "" if ikm is None else ikm.respondents,
                    "" if hops is None else hops.sent, "" if hops is None else hops.refused,
                    "" if hops is None or hops.median_days is None else hops.median_days,
                    "" if hops is None or hops.max_days is None else hops.max_days])
    return out


def _export(rows: list[list[Any]], name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        return csv_attachment(f"{name}.csv", rows)
    from openpyxl import Workbook  # heavy: only in the request that writes a workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Rekap")[:31]
    for line in rows:
        sheet.append(neutralise_row(line))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _file_name(prefix: str, period: Period) -> str:
    def day(d: dt.date) -> str:
        return d.strftime("%Y%m%d")

    return f"{prefix}-{day(period.start)}-{day(period.end)}"


@require_GET
@regency_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    offices = selectors.regency_offices()
    _form, period = _period(request, offices)
    if period is None:
        return HttpResponse(_("Periode tidak valid."), status=400, content_type="text/plain")
    figures = selectors.regency_figures(period, as_of=timezone.localdate(), offices=offices)
    return _export(table_rows(figures), _file_name("rekap-kabupaten", period), fmt)


@require_GET
@regency_required
def office_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    office = _office_or_404(code)
    _form, period = _period(request, [office])
    if period is None:
        return HttpResponse(_("Periode tidak valid."), status=400, content_type="text/plain")
    figures = selectors.office_unit_figures(office, period, as_of=timezone.localdate())
    return _export(table_rows(figures), _file_name(f"rekap-{office.code}", period), fmt)
