"""The register book (buku register) for a period, with the columns of SPEC §3."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.privacy import complaints_as_seen_by
from aduan.complaints.selectors import complaint_list_for_user, reporters_for_staff_bulk
from aduan.complaints.transfers import register_hops
from aduan.desk.forms import PeriodForm
from aduan.desk.views.common import staff_required

ROWS_PER_PAGE = 200


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
        qs = (complaint_list_for_user(user).select_related("reporter")
              .filter(received_on__gte=start, received_on__lte=end)
              .order_by("received_on", "register_year", "register_sequence"))
        page = Paginator(qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        reporters = reporters_for_staff_bulk(user, rows, purpose="register book")
        rows = complaints_as_seen_by(user, rows)
        context.update({
            "page": page, "rows": rows, "start": start, "end": end,
            "first_number": page.start_index(),
            "reporter_rows": [(c, reporters[c.pk]) for c in rows],
            "hops": register_hops(user.office_id, start, end)  # type: ignore[arg-type]
            if user.sees_all_units else [],
            "xlsx_url": _export_url("reports:register-xlsx", start, end),
            "pdf_url": _export_url("reports:register-pdf", start, end),
        })
    return render(request, "desk/register.html", context)
