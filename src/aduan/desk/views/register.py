"""The register book (buku register) for a period, with the columns of SPEC §3."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.privacy import complaints_as_seen_by
from aduan.complaints.register_book import key_decode, register_page
from aduan.complaints.selectors import reporters_for_staff_bulk
from aduan.complaints.transfers import register_hops
from aduan.desk.forms import PeriodForm
from aduan.desk.views.common import staff_required

# Fifty rows a page: the whole period is the printed register (XLSX/PDF, reports app).
ROWS_PER_PAGE = 50


def _default_period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}


def _export_url(name: str, start: dt.date, end: dt.date) -> str:
    """The reports app's export for the period, once it exists."""
    try:
        return f"{reverse(name)}?start={start.isoformat()}&end={end.isoformat()}"
    except NoReverseMatch:
        return ""


@staff_required
def register_book(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PeriodForm(request.GET if "start" in request.GET else _default_period())
    context: dict = {"form": form, "nav": "register"}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        # Keyset pages (complaints/register_book.py): "after"/"before" name the last/first row
        # of the page the link was on; "last" opens the end of the period.
        page = register_page(user, start, end, per_page=ROWS_PER_PAGE,
                             after=key_decode(request.GET.get("after")),
                             before=key_decode(request.GET.get("before")),
                             last=request.GET.get("last") == "1")
        rows = page.rows
        reporters = reporters_for_staff_bulk(user, rows, purpose="register book")
        rows = complaints_as_seen_by(user, rows)
        context.update({
            "page": page, "rows": rows, "start": start, "end": end,
            "start_iso": start.isoformat(), "end_iso": end.isoformat(),
            "first_number": page.first_number,
            "reporter_rows": [(c, reporters[c.pk]) for c in rows],
            "hops": register_hops(user.office_id, start, end)  # type: ignore[arg-type]
            if user.sees_all_units else [],
            "xlsx_url": _export_url("reports:register-xlsx", start, end),
            "pdf_url": _export_url("reports:register-pdf", start, end),
        })
    return render(request, "desk/register.html", context)
