"""The inbox: every case the user may see, filtered, searched, keyset-paginated."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.access import visible_scope
from aduan.complaints.models import Reporter
from aduan.complaints.privacy import complaint_redactor, may_read_unredacted
from aduan.complaints.routing import may_route, routing_counts
from aduan.complaints.transfers import transfers_pending_bulk
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.desk.inbox import Deadline, InboxFilters, State, inbox_page, state_counts
from aduan.desk.views.common import staff_required
from aduan.offices.calendar import calendar_for_office
from aduan.offices.selectors import office_routes, office_selects
from aduan.oversight.permissions import may_see_regency


def _annotate_rows(user: User, rows: list) -> None:
    """Working days left per open row, from one cached calendar (no query per row), the case
    URL and the status label, computed once per page instead of once per row."""
    if not rows:
        return
    calendar = calendar_for_office(user.office_id)  # type: ignore[arg-type]
    today = timezone.localdate()
    prefix = reverse("desk:complaint-detail", kwargs={"complaint_id": 1}).removesuffix("1/")
    # get_status_display() hashes every lazy choice label on each call; translate once.
    labels = {value: str(label) for value, label in Status.choices}
    for row in rows:
        row.url = f"{prefix}{row.pk}/"
        row.status_label = labels.get(row.status, row.status)
        row.is_open = row.status not in SETTLED_STATUSES
        row.days_left = calendar.working_days_between(today, row.due_on) if row.is_open else 0
        row.days_overdue = -row.days_left
        # Set on every row: a missing attribute costs the template an exception and a dir()
        # of the model instance per row.
        row.forwarded_from = ""
    # Cases forwarded by another office and not yet verified here: one query per page, none
    # on a single-office instance (the memoised office map), where nothing is forwarded.
    if len(office_routes().active) > 1:
        for pk, hop in transfers_pending_bulk(rows).items():
            next(row for row in rows if row.pk == pk).forwarded_from = hop.from_office.name
    if not may_read_unredacted(user):
        # Outside the complaint team subjects are redacted (complaints/privacy.py); the page's
        # reporters in one query. The rows are this page's own objects, never saved.
        reporters = Reporter.objects.in_bulk({row.reporter_id for row in rows})
        for row in rows:
            row.reporter = reporters[row.reporter_id]
            row.subject = complaint_redactor(row)(row.subject)


def _filter_choices(user: User) -> dict:
    # The office's (id, name) pairs, memoised per process (offices.selectors): no query.
    selects = office_selects(user.office_id)  # type: ignore[arg-type]
    return {
        "statuses": [(value, str(label)) for value, label in Status.choices],
        "channels": selects.channels,
        "units": selects.units if user.sees_all_units else [],
        "service_types": selects.service_types,
        "deadlines": [(Deadline.OVERDUE, "overdue"), (Deadline.DUE_SOON, "due_soon"),
                      (Deadline.OPEN, "open")],
    }


def _state_links(request: HttpRequest, current: str) -> list[tuple[str, str, str, bool]]:
    """The inbox's three views (open work first), keeping the other filters."""
    query = request.GET.copy()
    for name in ("after", "state"):
        query.pop(name, None)
    links = []
    for value, label in ((State.OPEN, _("Dalam proses")), (State.SETTLED, _("Selesai")),
                         (State.ALL, _("Semua"))):
        query["state"] = value
        links.append((value, label, f"?{query.urlencode()}", value == current))
    return links


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if visible_scope(user) is None and may_see_regency(user):
        # The regency oversight sees no case: its start page is the regency dashboard.
        return redirect("oversight:dashboard")
    filters = InboxFilters.from_query(request.GET.dict())
    page = inbox_page(user, filters, request.GET.get("after", ""))
    _annotate_rows(user, page.rows)
    query = request.GET.copy()
    query.pop("after", None)
    context = {"page": page, "filters": filters, "query": query.urlencode(),
               "state_links": _state_links(request, filters.effective_state),
               "is_unit_view": not user.sees_all_units, "nav": "inbox", **_filter_choices(user)}
    template = "desk/inbox/_results.html" if request.htmx else "desk/inbox/index.html"
    return render(request, template, context)


@staff_required
def inbox_counts(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # At the central intake the head of the inbox also counts the cases awaiting routing.
    routing = routing_counts(user) if may_route(user) else None
    return render(request, "desk/inbox/_counts.html",
                  {"counts": state_counts(user), "routing": routing})
