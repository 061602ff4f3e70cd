"""Reads of the watch: the lists of at-risk and late applications per holder, one
application with its log and complaints, and the figures of the dashboard and the report."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from aduan.offices.models import Office
from aduan.watch.models import (
    ActionKind,
    ComplaintLink,
    PermitApplication,
    WatchAction,
    WatchState,
)

WATCHED_STATES = (WatchState.AT_RISK, WatchState.LATE)


def applications_for_office(office: Office | int) -> QuerySet[PermitApplication]:
    office_id = office if isinstance(office, int) else office.pk
    return (PermitApplication.objects.filter(office_id=office_id)
            .select_related("permit_type", "holder_unit", "holder_agency"))


def watch_list(office: Office | int, *, state: str = "", holder: str = "",
               permit_type: int | None = None, query: str = "") -> QuerySet[PermitApplication]:
    """Open applications at risk or late (or in `state`), most overdue first."""
    qs = applications_for_office(office)
    qs = qs.filter(state=state) if state else qs.filter(state__in=WATCHED_STATES)
    if holder:
        qs = qs.filter(holder_name=holder)
    if permit_type:
        qs = qs.filter(permit_type_id=permit_type)
    if query:
        from aduan.watch.importers import number_key

        qs = qs.filter(Q(number_key=number_key(query)) | Q(nib=query.strip())
                       | Q(applicant_name__icontains=query.strip()))
    has_complaint = Exists(ComplaintLink.objects.filter(application=OuterRef("pk")))
    return qs.annotate(has_complaint=has_complaint).order_by("due_on", "pk")


@dataclass(frozen=True)
class HolderRow:
    label: str
    holder_name: str
    kind: str  # unit | agency | other
    at_risk: int
    late: int


def counts_per_holder(office: Office | int) -> list[HolderRow]:
    """At-risk and late applications per unit and per agency holding them."""
    rows = (applications_for_office(office).filter(state__in=WATCHED_STATES)
            .values("holder_name", "holder_unit__name", "holder_agency__name")
            .annotate(at_risk=Count("pk", filter=Q(state=WatchState.AT_RISK)),
                      late=Count("pk", filter=Q(state=WatchState.LATE))))
    result = []
    for row in rows:
        if row["holder_agency__name"]:
            label, kind = row["holder_agency__name"], "agency"
        elif row["holder_unit__name"]:
            label, kind = row["holder_unit__name"], "unit"
        else:
            label, kind = row["holder_name"] or "-", "other"
        result.append(HolderRow(label, row["holder_name"], kind, row["at_risk"], row["late"]))
    return sorted(result, key=lambda r: (-r.late, -r.at_risk, r.label))


def application_detail(office: Office | int, app_id: int) -> PermitApplication:
    return applications_for_office(office).get(pk=app_id)


def application_actions(app: PermitApplication) -> list[WatchAction]:
    return list(app.actions.select_related("actor").order_by("-created_at", "-id"))


def application_complaints(app: PermitApplication) -> list[ComplaintLink]:
    return list(app.complaint_links.select_related("complaint").order_by("-created_at"))


# "Is the case linked to a permit application?", read in the case page's own query
# (access_complaint's annotations); `{% permit_links %}` skips its lookup when not.
HAS_PERMIT_LINKS = "watch_has_permit_links"


def permit_links_flag() -> dict[str, Exists]:
    return {HAS_PERMIT_LINKS: Exists(ComplaintLink.objects.filter(complaint=OuterRef("pk")))}


def links_for_complaint(complaint_id: int) -> list[ComplaintLink]:
    return list(ComplaintLink.objects.filter(complaint_id=complaint_id)
                .select_related("application", "application__permit_type"))


@dataclass(frozen=True)
class DashboardFigures:
    at_risk: int
    late: int
    late_with_complaint: int
    late_without_complaint: int
    notices_sent: int
    complaints_about_late: int


# The panel in one statement (was three queries): the "now" figures on the index
# `watch_app_state` (the late ones with a complaint linked counted by an EXISTS), the notices
# sent and the distinct complaints about late applications, as scalar subqueries. Written in
# SQL: the dashboard's hot path, where compiling three querysets cost more than the database.
_PANEL_SQL = """
SELECT
  (SELECT COUNT(*) FROM watch_permitapplication WHERE office_id = %s AND state = %s),
  (SELECT COUNT(*) FROM watch_permitapplication WHERE office_id = %s AND state = %s),
  (SELECT COUNT(*) FROM watch_permitapplication a WHERE a.office_id = %s AND a.state = %s
     AND EXISTS (SELECT 1 FROM watch_complaintlink l WHERE l.application_id = a.id)),
  (SELECT COUNT(*) FROM watch_watchaction w
     JOIN watch_permitapplication a ON a.id = w.application_id
     WHERE a.office_id = %s AND w.kind = %s {notices_since}),
  (SELECT COUNT(DISTINCT l.complaint_id) FROM watch_complaintlink l
     JOIN watch_permitapplication a ON a.id = l.application_id
     JOIN complaints_complaint c ON c.id = l.complaint_id
     WHERE a.office_id = %s AND a.state IN (%s, %s) {complaints_since})
"""


def dashboard_figures(office: Office | int, *, since: dt.date | None = None) -> DashboardFigures:
    """The dashboard panel: applications at risk and late now, the proactive notices sent
    and the complaints about late applications (since `since`, when given); one query."""
    office_id = office if isinstance(office, int) else office.pk
    sql = (_PANEL_SQL.format(notices_since="", complaints_since="") if since is None else
           _PANEL_SQL.format(notices_since="AND w.done_on >= %s",
                             complaints_since="AND c.received_on >= %s"))
    dated = [since] if since is not None else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [
            office_id, WatchState.AT_RISK.value, office_id, WatchState.LATE.value,
            office_id, WatchState.LATE.value,
            office_id, ActionKind.APPLICANT_MESSAGE.value, *dated,
            office_id, WatchState.LATE.value, WatchState.DONE_LATE.value, *dated])
        at_risk, late, late_with, notices, complaints = cursor.fetchone()
    return DashboardFigures(
        at_risk=at_risk, late=late, late_with_complaint=late_with,
        late_without_complaint=late - late_with, notices_sent=notices,
        complaints_about_late=complaints)


@dataclass(frozen=True)
class PermitTypeRow:
    name: str
    sop_days: int
    count: int
    late: int
    median_days: float | None
    notices: int
    complaints: int


def report_rows(office: Office | int, start: dt.date, end: dt.date) -> list[PermitTypeRow]:
    """Per permit type, of the applications submitted in [start, end]: how many, how many
    late (open past the SOP or finished after it), the median working days from complete to
    finished (or to today for open ones), the proactive notices and the complaints."""
    office_id = office if isinstance(office, int) else office.pk
    apps = (PermitApplication.objects.filter(office_id=office_id, submitted_on__gte=start,
                                             submitted_on__lte=end)
            .values_list("pk", "permit_type__name", "permit_type__sop_days", "state",
                         "used_days"))
    by_type: dict[str, dict] = defaultdict(lambda: {"count": 0, "late": 0, "days": [],
                                                    "ids": [], "sop": 0})
    for pk, name, sop, state, used in apps.iterator(chunk_size=5000):
        entry = by_type[name]
        entry["sop"] = sop
        entry["count"] += 1
        entry["ids"].append(pk)
        if state in (WatchState.LATE, WatchState.DONE_LATE):
            entry["late"] += 1
        if used is not None:
            entry["days"].append(used)
    notices = dict(WatchAction.objects.filter(
        application__office_id=office_id, application__submitted_on__gte=start,
        application__submitted_on__lte=end, kind=ActionKind.APPLICANT_MESSAGE)
        .values_list("application__permit_type__name").annotate(n=Count("pk")))
    complaints = dict(ComplaintLink.objects.filter(
        application__office_id=office_id, application__submitted_on__gte=start,
        application__submitted_on__lte=end)
        .values_list("application__permit_type__name")
        .annotate(n=Count("complaint_id", distinct=True)))
    rows = [PermitTypeRow(
        name=name, sop_days=entry["sop"], count=entry["count"], late=entry["late"],
        median_days=statistics.median(entry["days"]) if entry["days"] else None,
        notices=notices.get(name, 0), complaints=complaints.get(name, 0))
        for name, entry in by_type.items()]
    return sorted(rows, key=lambda r: (-r.count, r.name))


def late_with_without_complaint(office: Office | int, start: dt.date,
                                end: dt.date) -> tuple[int, int]:
    """Late applications submitted in the period with and without a complaint about them."""
    office_id = office if isinstance(office, int) else office.pk
    late = PermitApplication.objects.filter(
        office_id=office_id, submitted_on__gte=start, submitted_on__lte=end,
        state__in=[WatchState.LATE, WatchState.DONE_LATE])
    linked = Exists(ComplaintLink.objects.filter(application=OuterRef("pk")))
    with_complaint = late.filter(linked).count()
    return with_complaint, late.count() - with_complaint


def notices_and_actions(office: Office | int, start: dt.date, end: dt.date) -> dict[str, int]:
    """How many times each action was taken in [start, end] (by date of the action)."""
    office_id = office if isinstance(office, int) else office.pk
    counts = dict(WatchAction.objects.filter(
        application__office_id=office_id, done_on__gte=start, done_on__lte=end)
        .values_list("kind").annotate(n=Count("pk")))
    return {kind: counts.get(kind, 0) for kind in ActionKind.values}
