"""The central intake's routing desk: cases awaiting routing, oldest first, each with its
LAPOR! limit (3 working days) and the offices ranked by the triage authority suggestion; one
click and a confirmation route the case (complaints.transfers.case_forward, kind "route")."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.accounts.models import User
from aduan.assist.selectors import authority_suggestions
from aduan.complaints.models import CaseTransfer, Complaint, TransferKind
from aduan.complaints.routing import (
    awaiting_routing,
    may_route,
    routing_clock,
    routing_counts,
    routing_queue,
)
from aduan.complaints.services import TransitionNotAllowed
from aduan.complaints.transfers import case_forward
from aduan.core.exceptions import NotFound
from aduan.desk.routing import row_choices
from aduan.desk.views.common import staff_required
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office
from aduan.offices.selectors import offices_routable_from

NOTE_MAX = 1000


def _router(request: HttpRequest) -> User:
    """The user, if they may route; 404 for everyone else (the page does not exist for them)."""
    user: User = request.user  # type: ignore[assignment]
    if not may_route(user):
        raise Http404
    return user


@staff_required
@require_GET
def routing_desk(request: HttpRequest) -> HttpResponse:
    user = _router(request)
    queue = routing_queue(user)
    offices = offices_routable_from(user.office_id)  # type: ignore[arg-type]
    ids = [row.complaint.pk for row in queue.rows]
    choices = row_choices(offices, authority_suggestions(ids), ids)
    for row in queue.rows:
        row.route = choices[row.complaint.pk]  # type: ignore[attr-defined]
    return render(request, "desk/routing/index.html",
                  {"queue": queue, "counts": queue.counts, "nav": "routing",
                   "has_offices": bool(offices)})


@staff_required
@require_GET
def routing_counts_fragment(request: HttpRequest) -> HttpResponse:
    user = _router(request)
    return render(request, "desk/routing/_counts.html", {"counts": routing_counts(user)})


def _case_awaiting(user: User, complaint_id: int) -> Complaint | None:
    return awaiting_routing(user).select_related("channel").filter(pk=complaint_id).first()


def _target(user: User, raw: str) -> Office:
    offices = {str(o.pk): o for o in offices_routable_from(user.office_id)}  # type: ignore[arg-type]
    office = offices.get((raw or "").strip()[:12])
    if office is None:
        raise Http404
    return office


def _gone(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The case no longer awaits routing here (routed a moment ago, verified, settled)."""
    text = _("Pengaduan ini sudah tidak menunggu rute: baru saja dirutekan, ditangani sendiri "
             "atau diselesaikan. Daftar di bawah sudah diperbarui.")
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "desk/routing/_done.html",
                          {"complaint_id": complaint_id, "text": text, "is_error": True})
        response["HX-Trigger"] = "routing-changed"
        return response
    messages.warning(request, text)
    return redirect("desk:routing")


@staff_required
@require_http_methods(["GET", "POST"])
def route_case(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """GET: ask to confirm routing the case to the chosen office (`?ke=<office id>`).
    POST: route it. A second click finds the case gone and says so; nothing moves twice."""
    user = _router(request)
    complaint = _case_awaiting(user, complaint_id)
    if complaint is None:  # the same answer for any case id not awaiting routing here
        return _gone(request, complaint_id)
    target = _target(user, request.POST.get("ke", "") if request.method == "POST"
                     else request.GET.get("ke", ""))
    clock = routing_clock(calendar_for_office(complaint.office_id), complaint.received_on,
                          timezone.localdate())
    context = {"complaint": complaint, "target": target, "clock": clock, "nav": "routing"}
    if request.method == "GET":
        template = ("desk/routing/_confirm.html" if request.htmx  # type: ignore[attr-defined]
                    else "desk/routing/confirm.html")
        return render(request, template, context)
    note = request.POST.get("catatan", "").strip()[:NOTE_MAX]
    transfer = _route(user, complaint, target, note)
    if transfer is None:
        return _gone(request, complaint_id)
    text = _("Pengaduan %(number)s dirutekan ke %(office)s dengan nomor register "
             "%(new_number)s. Pelapor diberi tahu; kode lacaknya tetap.") % {
        "number": transfer.from_register_number, "office": target.name,
        "new_number": transfer.to_register_number}
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "desk/routing/_done.html",
                          {"complaint_id": complaint_id, "text": text, "is_error": False})
        response["HX-Trigger"] = "routing-changed"
        return response
    messages.success(request, text)
    return redirect("desk:routing")


def _route(user: User, complaint: Complaint, target: Office, note: str
           ) -> CaseTransfer | None:
    """Route through the forwarding service; None when the case was moved or changed under
    the user (the service's row lock decides; a twin click gets the same hop back)."""
    reason = note or _("Dirutekan oleh layanan pengaduan terpadu kepada %(office)s sebagai "
                       "instansi yang berwenang.") % {"office": target.name}
    try:
        return case_forward(complaint, target, by=user, reason=reason,
                            kind=TransferKind.ROUTE)
    except (NotFound, TransitionNotAllowed):
        return None
