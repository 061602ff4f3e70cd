"""Public statistics of the whole regency (issue 18): one row per active office with the
figures its own /statistik/ page publishes, as a page, CSV and JSON. Only meaningful on an
instance with more than one active office; a single-office instance sends the page to its
/statistik/ and has no regency data files."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from aduan.core.cells import csv_attachment
from aduan.offices.middleware import office_home_url
from aduan.offices.selectors import office_list_public
from aduan.oversight.selectors import PublicRegencyStats, regency_public_stats, regency_years

CSV_HEADER = ["code", "name", "total", "settled", "in_process", "settled_within_deadline",
              "share_within_deadline_percent", "ikm", "ikm_grade", "ikm_respondents"]


def _stats(request: HttpRequest) -> PublicRegencyStats | None:
    offices = office_list_public()
    if len(offices) < 2:
        return None
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    years = regency_years(offices)  # one query, also the page's list of years
    if raw == "" and years:
        year = years[0]  # the newest year by default, as on an office's own page
    return regency_public_stats(year, offices=offices, years=years)


def _stats_or_404(request: HttpRequest) -> PublicRegencyStats:
    stats = _stats(request)
    if stats is None:
        raise Http404
    return stats


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    stats = _stats(request)
    if stats is None:
        return redirect("portal:statistics")
    # Each office's name links to its own statistics page, under its path (decision 0013).
    offices = {o.code: o for o in office_list_public()}
    rows = [(row, f"{office_home_url(request, offices[row.code])}statistik/")
            for row in stats.rows]
    return render(request, "portal/statistics_regency.html", {"stats": stats, "rows": rows})


def rows(stats: PublicRegencyStats) -> list[list[Any]]:
    out: list[list[Any]] = [CSV_HEADER]
    for row in [*stats.rows, stats.total]:
        data = row.as_dict()
        out.append(["" if data[key] is None else data[key] for key in CSV_HEADER])
    return out


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    stats = _stats_or_404(request)
    return csv_attachment(f"statistik-kabupaten-{stats.year or 'semua'}.csv", rows(stats))


@require_GET
def statistics_json(request: HttpRequest) -> JsonResponse:
    stats = _stats_or_404(request)
    response = JsonResponse(stats.as_dict(), encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="statistik-kabupaten-{stats.year or "semua"}.json"')
    return response
