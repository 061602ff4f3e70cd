"""The breach register (UU 27/2022: notify within 3 x 24 hours): record a suspected personal
data breach, list the reporters whose data was in its scope, send them the notice on their own
channels through the outbox, draft the notice to the supervising authority, and keep the
72-hour clock and the audit trail.

The notices start from default texts (below) copied onto the breach, which the office edits
before sending; the reporter's message is also wrapped in the editable `breach_notice`
message template (notifications admin).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.audit.services import audit_personal_data
from aduan.complaints.models import Complaint
from aduan.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from aduan.core.text import clean_text
from aduan.notifications.models import TemplateCode
from aduan.notifications.rendering import format_date
from aduan.notifications.services import outbox_write_to_reporter
from aduan.offices.models import Channel, Unit
from aduan.rights.models import NOTIFY_WITHIN, Breach, BreachStatus

# Default texts (Indonesian, the office's letter): copied onto each breach and edited there.
REPORTER_NOTICE = (
    "Dengan hormat,\n\n"
    "Kami memberitahukan bahwa pada {discovered} kami mengetahui adanya dugaan kegagalan "
    "pelindungan data pribadi di {office}: {title}. Data pribadi Anda yang terkait pengaduan "
    "yang pernah Anda sampaikan kepada kami mungkin terdampak ({data}).\n\n"
    "Upaya yang telah dan sedang kami lakukan: {measures}\n\n"
    "Untuk berjaga-jaga, waspadai pesan atau telepon yang mengatasnamakan kami dan meminta "
    "data atau pembayaran. Bila ada pertanyaan, hubungi kami di {phone}.")
AUTHORITY_NOTICE = (
    "Kepada Yth. Lembaga Penyelenggara Pelindungan Data Pribadi\n\n"
    "Perihal: Pemberitahuan kegagalan pelindungan data pribadi ({number})\n\n"
    "Sesuai UU 27/2022, {office} memberitahukan dugaan kegagalan pelindungan data pribadi "
    "sebagai berikut:\n"
    "1. Waktu diketahui: {discovered}\n"
    "2. Uraian kejadian: {description}\n"
    "3. Data pribadi yang terdampak: {data}\n"
    "4. Jumlah subjek data (pelapor) yang terdampak: {count}\n"
    "5. Upaya penanganan dan pemulihan: {measures}\n\n"
    "Subjek data yang terdampak diberitahu melalui saluran yang mereka gunakan saat melapor.\n\n"
    "Hormat kami,\n{office}")


def may_handle_breaches(user: User) -> bool:
    from aduan.accounts.models import Role

    return bool(user.is_authenticated and user.office_id
                and user.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD))


def _require(user: User) -> None:
    if not may_handle_breaches(user):
        raise PermissionDenied(_("Hanya tim pengaduan dan pimpinan yang mencatat insiden data "
                                 "pribadi."))


@dataclass
class Scope:
    start: dt.date | None = None
    end: dt.date | None = None
    channel: Channel | None = None
    unit: Unit | None = None
    complaint: Complaint | None = None

    @property
    def is_empty(self) -> bool:
        return not any([self.start, self.end, self.channel, self.unit, self.complaint])


def _when(at: dt.datetime) -> str:
    local = timezone.localtime(at)
    return f"{format_date(local.date())} pukul {local:%H.%M}"


def breach_affected(breach: Breach) -> QuerySet[Complaint]:
    """One case per reporter in the breach's scope (their latest: the one to write to), for
    reporters not yet anonymised. The scope's parts narrow together (AND); a breach with no
    scope concerns nobody until one is set."""
    q = Q(office_id=breach.office_id, reporter__anonymised_at__isnull=True)
    if breach.scope_complaint_id:
        q &= Q(pk=breach.scope_complaint_id)
    if breach.scope_start:
        q &= Q(received_on__gte=breach.scope_start)
    if breach.scope_end:
        q &= Q(received_on__lte=breach.scope_end)
    if breach.scope_channel_id:
        q &= Q(channel_id=breach.scope_channel_id)
    if breach.scope_unit_id:
        q &= Q(unit_id=breach.scope_unit_id)
    if not any([breach.scope_complaint_id, breach.scope_start, breach.scope_end,
                breach.scope_channel_id, breach.scope_unit_id]):
        return Complaint.objects.none()
    latest = (Complaint.objects.filter(q).order_by().values("reporter_id")
              .annotate(last=Max("id")).values("last"))
    return Complaint.objects.filter(pk__in=latest).order_by("-received_at", "-id")


def _texts(breach: Breach, count: int) -> dict[str, str]:
    office = breach.office
    return {"discovered": _when(breach.discovered_at), "office": office.name,
            "title": breach.title, "description": breach.description,
            "data": breach.data_concerned or "-", "measures": breach.measures or "-",
            "phone": office.phone or "-", "number": breach.number, "count": str(count)}


@transaction.atomic
def breach_record(*, actor: User, title: str, description: str, discovered_at: dt.datetime,
                  scope: Scope, data_concerned: str = "", measures: str = "",
                  at: dt.datetime | None = None) -> Breach:
    """Register a suspected breach with its 72-hour limit (from discovery) and draft both
    notices from the default texts. Audited."""
    _require(actor)
    at = at or timezone.now()
    title = clean_text(title, multiline=False)[:200]
    description = clean_text(description)
    if not title or not description:
        raise ValidationFailed(_("Isi judul dan uraian kejadian."))
    if discovered_at > at + dt.timedelta(minutes=5):
        raise ValidationFailed(_("Waktu diketahui tidak boleh di masa depan."))
    for item in (scope.channel, scope.unit, scope.complaint):
        if item is not None and item.office_id != actor.office_id:
            raise ValidationFailed(_("Cakupan insiden harus dari kantor ini."))
    breach = Breach.objects.create(
        office_id=actor.office_id, number=f"tmp-{secrets.token_hex(8)}", title=title,
        description=description, data_concerned=clean_text(data_concerned),
        measures=clean_text(measures), discovered_at=discovered_at,
        notify_by=discovered_at + NOTIFY_WITHIN, scope_start=scope.start, scope_end=scope.end,
        scope_channel=scope.channel, scope_unit=scope.unit, scope_complaint=scope.complaint,
        recorded_by=actor)
    breach.number = f"IPD/{timezone.localtime(discovered_at).year}/{breach.pk:04d}"
    count = breach_affected(breach).count()
    texts = _texts(breach, count)
    breach.reporter_notice = REPORTER_NOTICE.format(**texts)
    breach.authority_notice = AUTHORITY_NOTICE.format(**texts)
    breach.save(update_fields=["number", "reporter_notice", "authority_notice", "updated_at"])
    audit_personal_data(user=actor, office_id=actor.office_id, action="rights.breach.recorded",
                        object_type="breach", object_id=str(breach.pk),
                        reason=f"{breach.number}: {count} reporters in scope")
    return breach


def _load(actor: User, breach_id: int) -> Breach:
    _require(actor)
    breach = (Breach.objects.select_for_update().select_related("office")
              .filter(pk=breach_id, office_id=actor.office_id).first())
    if breach is None:
        raise NotFound()
    return breach


@transaction.atomic
def breach_update_notices(*, breach_id: int, actor: User, reporter_notice: str,
                          authority_notice: str) -> Breach:
    breach = _load(actor, breach_id)
    breach.reporter_notice = clean_text(reporter_notice)[:10000]
    breach.authority_notice = clean_text(authority_notice)[:20000]
    breach.save(update_fields=["reporter_notice", "authority_notice", "updated_at"])
    audit_personal_data(user=actor, office_id=breach.office_id,
                        action="rights.breach.notices_edited", object_type="breach",
                        object_id=str(breach.pk), reason=breach.number)
    return breach


@transaction.atomic
def breach_notify_reporters(*, breach_id: int, actor: User,
                            at: dt.datetime | None = None) -> int:
    """Send the reporter notice to every reporter in scope on their own channels (outbox, in
    this transaction). Idempotent per breach and reporter: sending again reaches only those
    added to the scope since. Returns the reporters written to now."""
    breach = _load(actor, breach_id)
    text = breach.reporter_notice.strip()
    if not text:
        raise ValidationFailed(_("Isi pemberitahuan kepada pelapor."))
    sent = 0
    for complaint in breach_affected(breach).select_related("office", "channel", "reporter"):
        rows = outbox_write_to_reporter(
            complaint, TemplateCode.BREACH_NOTICE, {"message": text},
            dedupe_key=f"breach-{breach.pk}-{complaint.reporter_id}")
        sent += bool(rows)
    breach.reporters_notified_at = at or timezone.now()
    breach.reporters_notified += sent
    breach.save(update_fields=["reporters_notified_at", "reporters_notified", "updated_at"])
    audit_personal_data(user=actor, office_id=breach.office_id,
                        action="rights.breach.reporters_notified", object_type="breach",
                        object_id=str(breach.pk), reason=f"{breach.number}: {sent} reporters")
    return sent


@transaction.atomic
def breach_mark_authority_notified(*, breach_id: int, actor: User,
                                   at: dt.datetime | None = None) -> Breach:
    """The authority's notice was sent (letter or its portal, outside Aduan): record when."""
    breach = _load(actor, breach_id)
    breach.authority_notified_at = at or timezone.now()
    breach.save(update_fields=["authority_notified_at", "updated_at"])
    audit_personal_data(user=actor, office_id=breach.office_id,
                        action="rights.breach.authority_notified", object_type="breach",
                        object_id=str(breach.pk), reason=breach.number)
    return breach


@transaction.atomic
def breach_close(*, breach_id: int, actor: User) -> Breach:
    breach = _load(actor, breach_id)
    breach.status = BreachStatus.CLOSED
    breach.save(update_fields=["status", "updated_at"])
    audit_personal_data(user=actor, office_id=breach.office_id, action="rights.breach.closed",
                        object_type="breach", object_id=str(breach.pk), reason=breach.number)
    return breach


@dataclass(frozen=True)
class BreachClock:
    hours_left: int
    is_overdue: bool
    done: bool   # both notices sent


def breach_clock(breach: Breach, now: dt.datetime | None = None) -> BreachClock:
    now = now or timezone.now()
    done = breach.reporters_notified_at is not None and breach.authority_notified_at is not None
    seconds = (breach.notify_by - now).total_seconds()
    return BreachClock(hours_left=int(seconds // 3600), is_overdue=not done and seconds < 0,
                       done=done)


def breaches_open(office_id: int) -> list[tuple[Breach, BreachClock]]:
    """Open breaches with their clocks, the most urgent first (the dashboard)."""
    now = timezone.now()
    return [(b, breach_clock(b, now)) for b in Breach.objects.filter(
        office_id=office_id, status=BreachStatus.OPEN).order_by("notify_by", "id")]


def breach_summary(breach: Breach) -> dict[str, Any]:
    affected = breach_affected(breach)
    return {"count": affected.count(),
            "cases": list(affected.values_list("register_number", flat=True)[:50])}
