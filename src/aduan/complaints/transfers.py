"""Forwarding a case to another office of the instance, and refusing a forward (issue 18,
decision 0013).

An office that finds a case outside its authority forwards it (`case_forward`); the central
intake's routing desk routes it the same way (`kind="route"`). In one transaction, with the
case row locked:

- the case moves to the receiving office with its events and attachments (they hang off the
  case) and keeps its tracking code and public id;
- it gets the receiving office's next register number (numbering.py: gapless per office); the
  first one it ever had stays on its first hop (`first_register_number`). No column on the
  case: adding one would rebuild complaints_complaint on SQLite (migration 0004's docstring)
  and rewrite a table of millions of rows on PostgreSQL;
- it starts again as the receiving office's new intake: status RECEIVED (awaiting
  verification), unit and proposed unit cleared, milestones cleared, the service type mapped to
  the receiver's type of the same code (else none), the channel to the receiver's channel of
  the same code or kind (else kept);
- **clocks**: the receiving office's clock starts on the day of the forward, under its own
  limits and calendar. `received_at`/`received_on`, `issued_on` and the register year become the
  forward's moment: that is the day the receiving office received the case and issued its
  number, and every deadline, the working days taken and the reports of that office count
  from it. The first receipt stays on the record: on the hop's `from_received_at`, on the
  timeline's first event, and in the sender's register (which lists the hop);
- a timeline event names both offices and both numbers, and the outbox tells the reporter, on
  their own channel and in this same transaction, who handles the case now (same tracking code);
- the daily figures of both offices are recomputed (Complaint.save, figures.py).

The sender's view of the case before the move (status, numbers, dates, unit, channel, service
type) is kept on the hop (`CaseTransfer.restore`). The receiving office is told by e-mail (its
complaint team, through the outbox, on the FORWARDED/ROUTED event). It may refuse the forward
only while it is the forward it has just received and not yet acted on: the case still awaits
its verification (the workflow table's REFUSE_FORWARD) and no step of the procedure or message
to the reporter was taken since the hop (`transfer_pending`; a case that went to "incomplete"
and came back to "received" was acted on; one forwarded on and refused back was not). The case then goes back to the sender as it was, with its old number and
deadlines; the reason goes on the timeline, the sender's complaint team is e-mailed and the
reporter is told (notifications app, on the FORWARD_REFUSED event). The receiver's number stays
issued and is listed in its register as a refused forward (numbers are never reused).

A double click (or two officers at once) cannot move the case twice: the second call waits for
the row lock, then finds the case already at the target through a hop it did not make and
returns that hop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints import notify
from aduan.complaints.access import access_complaint
from aduan.complaints.deadlines import limits_for
from aduan.complaints.events import complaint_transition_event
from aduan.complaints.models import (
    CaseEvent,
    CaseTransfer,
    Complaint,
    EventKind,
    TransferKind,
    TransferState,
)
from aduan.complaints.numbering import format_register_number, next_register_sequence
from aduan.complaints.services import TransitionNotAllowed, check_transition
from aduan.complaints.workflow import Action, Status
from aduan.core.exceptions import NotFound, ValidationFailed
from aduan.core.text import clean_text
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Channel, Office, ServiceType

MAX_REASON = 5_000

# The case's fields a hop changes, kept on the hop so that a refusal puts them back.
_SNAPSHOT_DATES = ("issued_on", "received_on", "due_on", "verify_due_on", "follow_up_due_on",
                   "completion_due_on", "verified_on", "disposed_on", "first_follow_up_on",
                   "responded_on", "auto_close_on")
_SNAPSHOT_OTHER = ("office_id", "register_year", "register_sequence", "register_number",
                   "channel_id", "service_type_id", "unit_id", "proposed_unit_id", "status")
# Cleared when the case starts again at the receiving office.
_CLEARED = ("unit", "proposed_unit", "follow_up_due_on", "completion_due_on", "verified_on",
            "disposed_on", "first_follow_up_on", "responded_on", "auto_close_on")

_ACTION = {TransferKind.FORWARD: Action.FORWARD, TransferKind.ROUTE: Action.ROUTE}
_EVENT = {TransferKind.FORWARD: EventKind.FORWARDED, TransferKind.ROUTE: EventKind.ROUTED}


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(complaint, name) for name in _SNAPSHOT_OTHER}
    for name in _SNAPSHOT_DATES:
        value = getattr(complaint, name)
        data[name] = value.isoformat() if value is not None else None
    data["received_at"] = complaint.received_at.isoformat()
    return data


def _apply_snapshot(complaint: Complaint, data: dict[str, Any]) -> None:
    for name in _SNAPSHOT_OTHER:
        setattr(complaint, name, data[name])
    for name in _SNAPSHOT_DATES:
        value = data.get(name)
        setattr(complaint, name, parse_date(value) if value else None)
    received_at = parse_datetime(data["received_at"])
    if received_at is None:  # written by _snapshot, always parseable
        raise ValueError("transfer snapshot without received_at")
    complaint.received_at = received_at


def _reason(text: str, message: str) -> str:
    text = clean_text(text or "").strip()
    if not text:
        raise ValidationFailed(message, code="text_required")
    if len(text) > MAX_REASON:
        raise ValidationFailed(_("Alasan terlalu panjang (maksimal %(max)s karakter).")
                               % {"max": f"{MAX_REASON:,}".replace(",", ".")})
    return text


def _mapped_service_type(complaint: Complaint, office: Office) -> ServiceType | None:
    if complaint.service_type_id is None:
        return None
    code = ServiceType.objects.filter(pk=complaint.service_type_id).values_list(
        "code", flat=True).first()
    return ServiceType.objects.filter(office=office, code=code, is_active=True).first()


def _mapped_channel(complaint: Complaint, office: Office) -> Channel:
    """The receiving office's channel for the way the complaint came: same code, else same
    kind; else the case keeps the channel it came by (the reporter's replies still go back the
    way they came: the outbox reads the kind)."""
    current = complaint.channel
    channels = Channel.objects.filter(office=office, is_active=True).order_by("order", "id")
    return (channels.filter(code=current.code).first()
            or channels.filter(kind=current.kind).first() or current)


def _in_flight(complaint_id: int, by: User, to_office: Office) -> CaseTransfer | None:
    """The hop that already moved this case from the user's office to `to_office` and is
    still where it left it: what a second click of the same forward finds."""
    hop = (CaseTransfer.objects.filter(complaint_id=complaint_id)
           .select_related("complaint").order_by("-requested_at", "-id").first())
    if (hop is not None and hop.state == TransferState.MOVED
            and hop.from_office_id == by.office_id and hop.to_office_id == to_office.pk
            and hop.complaint.office_id == to_office.pk):
        return hop
    return None


@transaction.atomic
def case_forward(complaint: Complaint, to_office: Office, *, by: User, reason: str,
                 kind: str = TransferKind.FORWARD,
                 at: dt.datetime | None = None) -> CaseTransfer:
    """Move `complaint` from its office to `to_office` (see the module's docstring); returns
    the hop. `by` must be of the complaint team of the office holding the case (the workflow
    table's FORWARD or ROUTE). `kind="route"`: the central intake's routing desk."""
    if kind not in _ACTION:
        raise ValueError(f"unknown transfer kind {kind!r}")
    reason = _reason(reason, _("Tuliskan alasan pengaduan diteruskan."))
    # Lock the row first (in the office `by` works in); a twin of this request that committed
    # meanwhile has already moved the case: its hop is the answer, not a second move.
    try:
        case = access_complaint(by, complaint.pk, for_update=True)
    except NotFound:
        if (hop := _in_flight(complaint.pk, by, to_office)) is not None:
            return hop
        raise
    if to_office.pk == case.office_id:
        raise ValidationFailed(_("Pengaduan sudah ditangani oleh instansi ini."),
                               code="same_office")
    if not to_office.is_active:
        raise ValidationFailed(_("Instansi tujuan tidak aktif."), code="office_inactive")
    action = _ACTION[TransferKind(kind)]
    check_transition(case, action, actor=by)
    at = at or timezone.now()
    day = timezone.localdate(at)
    if day < case.received_on:
        raise ValidationFailed(_("Tanggal penerusan tidak boleh sebelum tanggal pengaduan."),
                               code="date_before_received")
    from_office = case.office
    restore = _snapshot(case)
    sequence = next_register_sequence(office=to_office, year=day.year)
    to_number = format_register_number(to_office.register_number_pattern, sequence=sequence,
                                       year=day.year, month=day.month)
    hop = CaseTransfer.objects.create(
        complaint=case, kind=kind, state=TransferState.MOVED,
        from_office=from_office, to_office=to_office,
        from_register_number=case.register_number, from_register_year=case.register_year,
        from_register_sequence=case.register_sequence,
        to_register_number=to_number, to_register_year=day.year, to_register_sequence=sequence,
        from_received_at=case.received_at, reason=reason, requested_by=by, requested_at=at,
        restore=restore)
    status_before = case.status
    calendar = calendar_for_office(to_office.pk)
    limits = limits_for(to_office, case.classification)
    case.channel = _mapped_channel(case, to_office)
    case.service_type = _mapped_service_type(case, to_office)
    case.office = to_office
    case.register_year, case.register_sequence, case.register_number = (
        day.year, sequence, to_number)
    case.issued_on = day
    case.received_at, case.received_on = at, day
    case.status = Status.RECEIVED
    case.due_on = calendar.add_working_days(day, limits.settle_days)
    case.verify_due_on = calendar.add_working_days(day, limits.verify_days)
    for name in _CLEARED:
        setattr(case, name, None)
    case.save()  # recomputes both offices' daily figures (Complaint.save)
    body = (_("Pengaduan diteruskan dari %(from)s (nomor %(from_number)s) kepada %(to)s, yang "
              "kini menanganinya dengan nomor %(to_number)s. Kode lacak tetap sama. "
              "Alasan: %(reason)s")
            if kind == TransferKind.FORWARD else
            _("Layanan pengaduan terpadu %(from)s (nomor %(from_number)s) meneruskan pengaduan "
              "kepada %(to)s, yang menanganinya dengan nomor %(to_number)s. Kode lacak tetap "
              "sama. Alasan: %(reason)s")) % {
        "from": from_office.name, "from_number": hop.from_register_number,
        "to": to_office.name, "to_number": to_number, "reason": reason}
    event = complaint_transition_event(
        case, _EVENT[TransferKind(kind)], actor=by, status_before=status_before,
        is_public=True, body=body, at=at,
        data=_event_data(hop, reason))
    notify.dispatch(event)
    return hop


def _event_data(hop: CaseTransfer, reason: str) -> dict[str, Any]:
    return {"transfer": hop.pk, "kind": hop.kind, "reason": reason,
            "from_office_id": hop.from_office_id, "to_office_id": hop.to_office_id,
            "from_office": hop.from_office.code, "from_office_name": hop.from_office.name,
            "from_register_number": hop.from_register_number,
            "to_office": hop.to_office.code, "to_office_name": hop.to_office.name,
            "to_register_number": hop.to_register_number}


def _latest_moved(complaint_id: int) -> CaseTransfer | None:
    """The hop that brought the case to the office holding it, if one did: the latest hop
    not refused (a refusal puts the case back where the refused hop found it)."""
    return (CaseTransfer.objects.filter(complaint_id=complaint_id, state=TransferState.MOVED)
            .select_related("from_office").order_by("-requested_at", "-id").first())


def first_register_number(complaint: Complaint) -> str:
    """The number the case was first registered under, when it has another one now (it was
    forwarded to another office); "" otherwise."""
    first = (CaseTransfer.objects.filter(complaint=complaint).order_by("requested_at", "id")
             .values_list("from_register_number", flat=True).first())
    return first if first and first != complaint.register_number else ""


# "Was the case ever forwarded?", read in the case page's own query (access_complaint's
# annotations): `case_transfer_facts` then needs no query for the many cases never moved.
HAS_TRANSFERS = "complaints_has_transfers"


def transfers_flag() -> dict[str, Exists]:
    return {HAS_TRANSFERS: Exists(CaseTransfer.objects.filter(complaint=OuterRef("pk")))}


def case_transfer_facts(complaint: Complaint) -> tuple[str, CaseTransfer | None]:
    """`first_register_number` and `transfer_pending` together, from one read of the case's
    hops (a handful at most), none when the case's query said it has no hop; plus one read of
    its acting events while a forward to this office awaits its decision."""
    if complaint.__dict__.get(HAS_TRANSFERS) is False:
        return "", None
    hops = list(CaseTransfer.objects.filter(complaint=complaint).select_related("from_office")
                .defer("restore").order_by("requested_at", "id"))
    first = hops[0].from_register_number if hops else ""
    moved = [hop for hop in hops if hop.state == TransferState.MOVED]
    pending = moved[-1] if moved and complaint.status == Status.RECEIVED else None
    if pending is not None and (pending.to_office_id != complaint.office_id or not _untouched(
            pending, _acted([complaint.pk], pending.requested_at).get(complaint.pk, []))):
        pending = None
    return (first if first and first != complaint.register_number else "", pending)


# What counts as acting on a case received by a forward: any step of the procedure (an event
# recording a status change, e.g. a completion request, even when the case came back to
# "received" since) or a message to the reporter. Steps between offices are not: a case the
# office forwarded on and got back refused is as the office received it (the refusal restored
# it), so the office may still send it back in turn. An internal note or a reporter's message
# is not acting on it either.
_TRANSFER_KINDS = (EventKind.FORWARDED, EventKind.ROUTED, EventKind.FORWARD_REFUSED)


def _acted(complaint_ids: Iterable[int], since: dt.datetime) -> dict[int, list[dt.datetime]]:
    """When the acting events of these cases happened, from `since` on."""
    found: dict[int, list[dt.datetime]] = {}
    for complaint_id, created_at in (
            CaseEvent.objects.filter(complaint_id__in=list(complaint_ids),
                                     created_at__gte=since)
            .filter(~Q(status_before="") | Q(kind=EventKind.MESSAGE_OUT))
            .exclude(kind__in=_TRANSFER_KINDS)
            .values_list("complaint_id", "created_at")):
        found.setdefault(complaint_id, []).append(created_at)
    return found


def _untouched(hop: CaseTransfer, acted: list[dt.datetime]) -> bool:
    """Whether the office `hop` brought the case to has not acted on it since."""
    return not any(at >= hop.requested_at for at in acted)


def transfer_pending(complaint: Complaint) -> CaseTransfer | None:
    """The hop that brought the case to the office holding it, while that office may still
    refuse it: the forward it has just received and not yet acted on (the case awaits its
    verification and no step of the procedure or message to the reporter was taken since the
    hop); None otherwise."""
    if complaint.status != Status.RECEIVED or complaint.__dict__.get(HAS_TRANSFERS) is False:
        return None
    hop = _latest_moved(complaint.pk)
    if hop is None or hop.to_office_id != complaint.office_id:
        return None
    if not _untouched(hop, _acted([complaint.pk], hop.requested_at).get(complaint.pk, [])):
        return None
    return hop


@transaction.atomic
def case_forward_refuse(transfer: CaseTransfer, *, by: User, reason: str,
                        at: dt.datetime | None = None) -> CaseTransfer:
    """The receiving office refuses the forward (`transfer`, the case's latest hop) before it
    acted on the case: the case goes back to the sender as it was there (number, dates,
    status, unit), with the reason on the timeline. Only the receiving office's complaint team
    (the workflow table's REFUSE_FORWARD)."""
    reason = _reason(reason, _("Tuliskan alasan penerusan ditolak."))
    case = access_complaint(by, transfer.complaint_id, for_update=True)
    hop = CaseTransfer.objects.select_for_update().select_related(
        "from_office", "to_office").get(pk=transfer.pk)
    latest = _latest_moved(case.pk)
    if (hop.state != TransferState.MOVED or latest is None or latest.pk != hop.pk
            or case.office_id != hop.to_office_id):
        raise TransitionNotAllowed(
            _("Penerusan ini sudah tidak dapat ditolak: pengaduan telah ditolak kembali atau "
              "diteruskan lagi."), code="transfer_not_pending")
    if not _untouched(hop, _acted([case.pk], hop.requested_at).get(case.pk, [])):
        raise TransitionNotAllowed(
            _("Penerusan ini sudah tidak dapat ditolak: kantor Anda telah menindaklanjuti "
              "pengaduan ini setelah menerimanya."), code="transfer_acted_on")
    check_transition(case, Action.REFUSE_FORWARD, actor=by)
    at = at or timezone.now()
    status_before = case.status
    _apply_snapshot(case, hop.restore)
    case.office = hop.from_office
    case.save()  # recomputes both offices' daily figures (Complaint.save)
    hop.state = TransferState.REFUSED
    hop.decided_by, hop.decided_at, hop.refusal_reason = by, at, reason
    hop.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason",
                            "updated_at"])
    event = complaint_transition_event(
        case, EventKind.FORWARD_REFUSED, actor=by, status_before=status_before,
        is_public=True, at=at, data=_event_data(hop, reason),
        body=_("%(to)s menolak penerusan pengaduan nomor %(to_number)s. Pengaduan kembali "
               "ditangani oleh %(from)s dengan nomor %(from_number)s. Alasan: %(reason)s") % {
            "to": hop.to_office.name, "to_number": hop.to_register_number,
            "from": hop.from_office.name, "from_number": hop.from_register_number,
            "reason": reason})
    notify.dispatch(event)
    return hop


def transfers_pending_bulk(complaints: Iterable[Complaint]) -> dict[int, CaseTransfer]:
    """`transfer_pending` for a page of cases (the inbox) in one query: complaint id -> the
    hop that brought it, for the cases awaiting verification that came by a forward."""
    waiting = {c.pk: c.office_id for c in complaints if c.status == Status.RECEIVED}
    if not waiting:
        return {}
    found: dict[int, CaseTransfer] = {}
    for hop in (CaseTransfer.objects.filter(complaint_id__in=waiting, state=TransferState.MOVED)
                .select_related("from_office").order_by("requested_at", "id")):
        found[hop.complaint_id] = hop  # the latest wins
    arrived = {pk: hop for pk, hop in found.items() if hop.to_office_id == waiting[pk]}
    if not arrived:
        return {}
    acted = _acted(arrived, min(hop.requested_at for hop in arrived.values()))
    return {pk: hop for pk, hop in arrived.items() if _untouched(hop, acted.get(pk, []))}


def transfer_just_sent(user: User, complaint_id: int) -> CaseTransfer | None:
    """The hop by which the user's office just sent this case away, while the case is still
    where it went (a second click of the forward, or the page after it); None otherwise.
    Reveals only what the office's list of forwarded cases shows."""
    hop = (CaseTransfer.objects.filter(complaint_id=complaint_id)
           .select_related("complaint", "to_office").order_by("-requested_at", "-id").first())
    if (hop is None or user.office_id is None or hop.from_office_id != user.office_id
            or hop.state != TransferState.MOVED or hop.complaint.office_id != hop.to_office_id):
        return None
    return hop


@dataclass(frozen=True)
class RegisterHop:
    """A number of an office's register book that no case of the office holds now."""

    day: dt.date  # the day the number was issued (the case's receipt at that office)
    number: str
    is_outbound: bool  # forwarded out by this office; else a forward into it it refused
    hop: CaseTransfer


def register_hops(office_id: int, start: dt.date, end: dt.date) -> list[RegisterHop]:
    """The numbers of an office's register book for a period that no case of the office holds
    now, so the book does not silently lose them: cases it forwarded to another office (its
    number stays on the hop, dated by its receipt there) and the numbers it issued to forwards
    it then refused. Hops only, never the case's contents (the case is another office's)."""
    out = CaseTransfer.objects.filter(
        from_office_id=office_id, state=TransferState.MOVED,
        from_register_year__gte=start.year, from_register_year__lte=end.year)
    refused = CaseTransfer.objects.filter(
        to_office_id=office_id, state=TransferState.REFUSED,
        to_register_year__gte=start.year, to_register_year__lte=end.year)
    rows = []
    for hop in (out | refused).select_related("from_office", "to_office"):
        mine = hop.from_office_id == office_id
        day = timezone.localdate(hop.from_received_at if mine else hop.requested_at)
        if start <= day <= end:
            rows.append(RegisterHop(day, hop.from_register_number if mine
                                    else hop.to_register_number, mine, hop))
    return sorted(rows, key=lambda r: (r.day, r.hop.pk))


def transfers_out(office: Office) -> list[CaseTransfer]:
    """The hops out of `office`, newest first: where its cases went and whether they were
    refused. Names the hop, never the case's contents (the case is the receiver's now)."""
    return list(CaseTransfer.objects.filter(from_office=office)
                .select_related("to_office", "requested_by", "decided_by")
                .order_by("-requested_at", "-id"))
