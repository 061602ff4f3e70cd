"""Writes of the watch: permit types and their SOP, the watch state of each application, the
daily run that flags at-risk and late applications, and the actions on a late one.

Every outbound message (the team's daily digest, a letter to the agency, the report to the
head of office, the applicant's notice) is an outbox row written in the transaction of the
action that causes it (notifications/services.py delivers it).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.memberships import staff_with_roles
from aduan.accounts.models import Role, User
from aduan.core.exceptions import PermissionDenied, ValidationFailed
from aduan.core.text import clean_text
from aduan.core.working_days import WorkingCalendar
from aduan.notifications.models import OutboxChannel, OutboxMessage, TemplateCode
from aduan.notifications.rendering import public_url, render_text
from aduan.notifications.services import outbox_enqueue_on_commit
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import ChannelKind, Office, ReferralAgency, ServiceType, Unit
from aduan.offices.selectors import channel_kind_is_active
from aduan.watch.models import (
    FINISHED_STATUSES,
    ActionKind,
    AppStatus,
    LetterCounter,
    PermitApplication,
    PermitType,
    WatchAction,
    WatchSettings,
    WatchState,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_RESULT = 2000
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# --------------------------------------------------------------------------------------------
# Settings, permit types, SOP
# --------------------------------------------------------------------------------------------


def watch_settings_for(office: Office | int) -> WatchSettings:
    office_id = office if isinstance(office, int) else office.pk
    row, _created = WatchSettings.objects.get_or_create(office_id=office_id)
    return row


@functools.cache
def sop_defaults() -> dict[str, Any]:
    with (DATA_DIR / "sop_defaults.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def permit_key(name: str) -> str:
    return " ".join((name or "").lower().split())[:200]


def _matches(keyword: str, text: str) -> bool:
    keyword = keyword.strip().lower()
    return bool(keyword) and re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])",
                                       text) is not None


def default_sop(name: str, *, fallback: int) -> tuple[int, str]:
    """The national default SOP for a permit type's name, and where it comes from."""
    key = permit_key(name)
    for entry in sop_defaults()["types"]:
        if any(_matches(k, key) for k in entry["keywords"]):
            return int(entry["sop_days"]), str(entry["source"])
    return fallback, "default"


def _service_type_for(office_id: int, key: str) -> ServiceType | None:
    """The office's service type whose name or keywords the permit type's name contains."""
    best: tuple[int, ServiceType] | None = None
    for service in ServiceType.objects.filter(office_id=office_id, is_active=True):
        words = [service.name.lower(), *service.keywords.lower().split(",")]
        score = max((len(w.strip()) for w in words if _matches(w, key)), default=0)
        if score and (best is None or score > best[0]):
            best = (score, service)
    return best[1] if best else None


def permit_type_get_or_create(office_id: int, name: str, *,
                              default_days: int | None = None) -> PermitType:
    """The permit type of this name, created with the national default SOP on first sight."""
    name = clean_text(name, multiline=False)[:200]
    key = permit_key(name)
    existing = PermitType.objects.filter(office_id=office_id, key=key).first()
    if existing is not None:
        return existing
    if default_days is None:
        default_days = watch_settings_for(office_id).default_sop_days
    days, source = default_sop(name, fallback=default_days)
    row, _created = PermitType.objects.get_or_create(
        office_id=office_id, key=key,
        defaults={"name": name, "sop_days": days, "sop_source": source,
                  "service_type": _service_type_for(office_id, key)})
    return row


# --------------------------------------------------------------------------------------------
# The watch state
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    sop_days: int
    due_on: dt.date | None
    used_days: int | None
    state: str


def compute_state(*, sop_days: int, complete_on: dt.date | None, status: str,
                  finished_on: dt.date | None, today: dt.date, calendar: WorkingCalendar,
                  at_risk_percent: int) -> Computed:
    """Working days used against the SOP, counted on the office calendar from the day after
    the file was complete ("berkas lengkap dan benar"): late past the SOP, at risk from
    `at_risk_percent` of it. A finished application keeps the days it took."""
    if complete_on is None:
        return Computed(sop_days, None, None,
                        WatchState.DONE if status in FINISHED_STATUSES else WatchState.WAITING)
    due_on = calendar.add_working_days(complete_on, sop_days)
    if status in FINISHED_STATUSES:
        if finished_on is None:
            return Computed(sop_days, due_on, None, WatchState.DONE)
        used = max(0, calendar.working_days_between(complete_on, finished_on))
        return Computed(sop_days, due_on, used,
                        WatchState.DONE_LATE if used > sop_days else WatchState.DONE)
    used = max(0, calendar.working_days_between(complete_on, today))
    if used > sop_days:
        state = WatchState.LATE
    elif used * 100 >= sop_days * at_risk_percent:
        state = WatchState.AT_RISK
    else:
        state = WatchState.ON_TRACK
    return Computed(sop_days, due_on, used, state)


def application_apply_state(app: PermitApplication, computed: Computed, today: dt.date) -> bool:
    """Set the computed fields; True when the state changed."""
    changed = app.state != computed.state
    app.sop_days = computed.sop_days
    app.due_on = computed.due_on
    app.used_days = computed.used_days
    if changed or app.state_since is None:
        app.state = computed.state
        app.state_since = today
    return changed


@dataclass
class RefreshResult:
    checked: int = 0
    newly_at_risk: int = 0
    newly_late: int = 0
    digests: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def watch_refresh(office: Office, *, today: dt.date | None = None) -> RefreshResult:
    """The daily run for one office: recompute every open application, flag those that became
    at risk or late (an entry on their log), and e-mail the complaint team one digest of them
    (once per person and day, through the outbox)."""
    today = today or timezone.localdate()
    calendar = calendar_for_office(office.pk)
    conf = watch_settings_for(office)
    result = RefreshResult()
    flagged: list[PermitApplication] = []
    open_apps = (PermitApplication.objects.filter(office=office)
                 .filter(status=AppStatus.IN_PROCESS)
                 .select_related("permit_type").order_by("pk"))
    batch: list[PermitApplication] = []
    actions: list[WatchAction] = []

    def flush() -> None:
        with transaction.atomic():
            PermitApplication.objects.bulk_update(
                batch, ["sop_days", "due_on", "used_days", "state", "state_since",
                        "updated_at"], batch_size=500)
            WatchAction.objects.bulk_create(actions, batch_size=500)
        batch.clear()
        actions.clear()

    for app in open_apps.iterator(chunk_size=2000):
        result.checked += 1
        before = app.state
        computed = compute_state(
            sop_days=app.permit_type.sop_days, complete_on=app.complete_on, status=app.status,
            finished_on=app.finished_on, today=today, calendar=calendar,
            at_risk_percent=conf.at_risk_percent)
        fields_same = (app.sop_days, app.due_on, app.used_days) == (
            computed.sop_days, computed.due_on, computed.used_days)
        if fields_same and before == computed.state:
            continue
        changed = application_apply_state(app, computed, today)
        app.updated_at = timezone.now()
        batch.append(app)
        if changed and computed.state in (WatchState.AT_RISK, WatchState.LATE):
            if computed.state == WatchState.LATE:
                result.newly_late += 1
                kind = ActionKind.FLAGGED_LATE
            else:
                result.newly_at_risk += 1
                kind = ActionKind.FLAGGED_AT_RISK
            actions.append(WatchAction(
                application=app, kind=kind, done_on=today,
                result=_("%(used)s dari %(sop)s hari kerja terpakai; batas %(due)s.") % {
                    "used": computed.used_days, "sop": computed.sop_days,
                    "due": computed.due_on.isoformat() if computed.due_on else "-"}))
            flagged.append(app)
        if len(batch) >= 1000:
            flush()
    if batch:
        flush()
    if flagged:
        result.digests = _team_digest(office, flagged, today)
    return result


def watch_refresh_all(*, today: dt.date | None = None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for office in Office.objects.filter(is_active=True):
        for key, value in watch_refresh(office, today=today).as_dict().items():
            totals[key] = totals.get(key, 0) + value
    return totals


def _team_recipients(office: Office) -> list[User]:
    # By the roles held in this office: home role or an active membership (issue 18).
    return staff_with_roles(office.pk, [Role.OFFICER, Role.TEAM_LEAD])


def watch_url(app_id: int | None = None) -> str:
    from django.urls import reverse

    if app_id is None:
        return public_url(reverse("watch:list"))
    return public_url(reverse("watch:detail", kwargs={"app_id": app_id}))


def _team_digest(office: Office, flagged: list[PermitApplication], today: dt.date) -> int:
    """One e-mail per team member listing the applications that became late or at risk."""
    recipients = _team_recipients(office)
    if not recipients:
        return 0
    late = [a for a in flagged if a.state == WatchState.LATE]
    at_risk = [a for a in flagged if a.state == WatchState.AT_RISK]
    lines = [_("Pengawasan permohonan izin %(office)s, %(date)s.")
             % {"office": office.short_name, "date": today.strftime("%d-%m-%Y")}, ""]
    for title, apps in ((_("Terlambat (melewati SOP):"), late),
                        (_("Hampir lewat batas:"), at_risk)):
        if not apps:
            continue
        lines.append(title)
        for app in apps[:200]:
            lines.append(_("- %(number)s %(type)s, di %(holder)s: %(used)s/%(sop)s hari kerja, "
                           "batas %(due)s") % {
                "number": app.number, "type": app.permit_type.name,
                "holder": app.holder_label or "-", "used": app.used_days, "sop": app.sop_days,
                "due": app.due_on.strftime("%d-%m-%Y") if app.due_on else "-"})
        if len(apps) > 200:
            lines.append(_("... dan %(n)s lainnya.") % {"n": len(apps) - 200})
        lines.append("")
    lines.append(_("Daftar lengkap: %(url)s") % {"url": watch_url()})
    subject = _("Pengawasan izin: %(late)s terlambat, %(risk)s hampir lewat batas") % {
        "late": len(late), "risk": len(at_risk)}
    body = "\n".join(lines)
    written = []
    with transaction.atomic():
        for user in recipients:
            key = f"watch-digest-{office.pk}-{today.isoformat()}-{user.pk}"
            if OutboxMessage.objects.filter(dedupe_key=key).exists():
                continue
            written.append(OutboxMessage.objects.create(
                template_code=TemplateCode.REMINDER, channel=OutboxChannel.EMAIL,
                recipient=user.email, subject=subject[:300], body=body, dedupe_key=key))
        outbox_enqueue_on_commit([m.pk for m in written])
    return len(written)


# --------------------------------------------------------------------------------------------
# Actions on an application
# --------------------------------------------------------------------------------------------


def may_act(user: User) -> bool:
    """The complaint team acts on the watch (seed report, section G)."""
    return user.is_active and user.has_role(Role.OFFICER, Role.TEAM_LEAD)


def may_view(user: User) -> bool:
    return user.is_active and user.has_role(Role.OFFICER, Role.TEAM_LEAD, Role.HEAD,
                                            Role.ADMINISTRATOR)


def _check_act(user: User, app: PermitApplication) -> None:
    if not may_act(user) or user.office_id != app.office_id:
        raise PermissionDenied(_("Hanya tim pengaduan yang dapat mencatat tindakan."))


def _clean_result(result: str) -> str:
    result = clean_text(result)
    if len(result) > MAX_RESULT:
        raise ValidationFailed(_("Hasil terlalu panjang (maksimal %(max)s karakter).")
                               % {"max": MAX_RESULT})
    return result


def _check_date(done_on: dt.date | None, app: PermitApplication) -> dt.date:
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationFailed(_("Tanggal tindakan tidak boleh di masa depan."))
    if done_on < app.submitted_on:
        raise ValidationFailed(_("Tanggal tindakan tidak boleh sebelum permohonan diajukan."))
    return done_on


def action_record(*, app: PermitApplication, actor: User, kind: str, result: str,
                  contact: str = "", done_on: dt.date | None = None) -> WatchAction:
    """A phone call to or a visit of the agency, logged with date, person and result."""
    _check_act(actor, app)
    if kind not in (ActionKind.PHONE, ActionKind.VISIT):
        raise ValidationFailed(_("Jenis tindakan tidak dikenal."))
    result = _clean_result(result)
    if not result:
        raise ValidationFailed(_("Tuliskan hasil tindakan."))
    return WatchAction.objects.create(
        application=app, kind=kind, done_on=_check_date(done_on, app), actor=actor,
        contact=clean_text(contact, multiline=False)[:200], result=result)


MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


def _format_date(day: dt.date | None) -> str:
    """`5 Maret 2025`, as letters write dates whatever the locale."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}" if day else "-"


def application_context(app: PermitApplication) -> dict[str, str]:
    """The plain strings a template of the watch may use."""
    office = app.office
    expected = app.due_on
    if expected is not None and expected < timezone.localdate():
        expected = None
    return {
        "number": app.number,
        "applicant_name": app.applicant_name,
        "nib": app.nib,
        "permit_type": app.permit_type.name,
        "submitted_date": _format_date(app.submitted_on),
        "complete_date": _format_date(app.complete_on),
        "current_step": app.current_step or "-",
        "holder_name": app.holder_label or "-",
        "sop_days": str(app.sop_days),
        "used_days": "-" if app.used_days is None else str(app.used_days),
        "due_date": _format_date(app.due_on),
        "expected_date": _format_date(expected) if expected else str(
            _("secepatnya (sedang kami tindak lanjuti)")),
        "office_name": office.name,
        "office_short_name": office.short_name,
        "office_phone": office.phone,
    }


def _actions_summary(app: PermitApplication) -> str:
    lines = []
    for action in app.actions.filter(kind__in=[ActionKind.PHONE, ActionKind.VISIT,
                                               ActionKind.LETTER]).order_by("done_on", "id"):
        detail = action.letter_number or action.result
        lines.append(f"- {action.done_on:%d-%m-%Y} {action.get_kind_display()}: {detail}")
    return "\n".join(lines) or "-"


def _next_letter_sequence(office: Office, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("_next_letter_sequence must run inside transaction.atomic()")
    table = connection.ops.quote_name(LetterCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, year, last_sequence) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (office_id, year) DO UPDATE SET last_sequence = "
            f"{table}.last_sequence + 1 RETURNING last_sequence", [office.pk, year])
        return int(cursor.fetchone()[0])


def agency_recipients(app: PermitApplication) -> list[str]:
    """E-mail addresses of whoever holds the application: the agency's contact, or the staff
    of the office's own unit."""
    if app.holder_agency_id:
        agency = ReferralAgency.objects.get(pk=app.holder_agency_id)
        return list(dict.fromkeys(EMAIL_RE.findall(agency.contact)))[:3]
    if app.holder_unit_id:
        # Home unit, or the unit of an active membership in the office (issue 18).
        return list(User.objects.filter(
            Q(unit_id=app.holder_unit_id) | Q(memberships__unit_id=app.holder_unit_id,
                                              memberships__is_active=True), is_active=True)
                    .exclude(email="").distinct().order_by("pk")
                    .values_list("email", flat=True)[:5])
    return []


def _email_rows(*, action: WatchAction, app: PermitApplication, recipients: list[str],
                subject: str, body: str) -> list[OutboxMessage]:
    rows = [OutboxMessage.objects.create(
        template_code=TemplateCode.MESSAGE, channel=OutboxChannel.EMAIL, recipient=address,
        subject=subject[:300], body=body, data={"register_number": app.number},
        dedupe_key=f"watch-action-{action.pk}-email-{i}")
        for i, address in enumerate(recipients)]
    outbox_enqueue_on_commit([r.pk for r in rows])
    return rows


def letter_issue(*, app: PermitApplication, actor: User,
                 done_on: dt.date | None = None) -> WatchAction:
    """Number a letter to the agency holding the application, log it, and send it by e-mail
    when the agency's address is known (the DOCX/PDF is printed from the log entry)."""
    _check_act(actor, app)
    office = app.office
    conf = watch_settings_for(office)
    done_on = _check_date(done_on, app)
    body = render_text(conf.agency_letter_template, application_context(app))
    recipients = agency_recipients(app)
    with transaction.atomic():
        sequence = _next_letter_sequence(office, done_on.year)
        number = conf.letter_number_pattern.format(seq=sequence, year=done_on.year,
                                                   month=done_on.month)
        sent_to = ", ".join(recipients)
        action = WatchAction.objects.create(
            application=app, kind=ActionKind.LETTER, done_on=done_on, actor=actor,
            contact=(app.holder_label or "")[:200], letter_number=number[:100], body=body,
            result=(_("Surat dikirim melalui e-mail ke %(to)s.") % {"to": sent_to}
                    if recipients else _("Surat dicetak untuk dikirim ke %(holder)s.")
                    % {"holder": app.holder_label or "-"}))
        if recipients:
            _email_rows(action=action, app=app, recipients=recipients,
                        subject=_("Surat %(number)s: penyelesaian permohonan %(app)s")
                        % {"number": number, "app": app.number},
                        body=f"{_('Nomor')}: {number}\n\n{body}\n\n{_('Hormat kami,')}\n"
                             f"{office.head_title or office.name}\n{office.head_name}")
    return action


def head_report(*, app: PermitApplication, actor: User, note: str = "",
                done_on: dt.date | None = None) -> WatchAction:
    """Report an application the agency has not settled to the head of office (e-mail)."""
    _check_act(actor, app)
    office = app.office
    conf = watch_settings_for(office)
    done_on = _check_date(done_on, app)
    context = application_context(app)
    context["actions"] = _actions_summary(app)
    body = render_text(conf.head_report_template, context)
    note = _clean_result(note)
    if note:
        body = f"{body}\n\n{note}"
    heads = list(dict.fromkeys(user.email for user in staff_with_roles(office.pk, [Role.HEAD])))
    with transaction.atomic():
        action = WatchAction.objects.create(
            application=app, kind=ActionKind.HEAD_REPORT, done_on=done_on, actor=actor,
            contact=office.head_name[:200], body=body,
            result=note or (_("Dilaporkan kepada Kepala Dinas melalui e-mail.") if heads
                            else _("Dilaporkan kepada Kepala Dinas (tanpa e-mail).")))
        _email_rows(action=action, app=app, recipients=heads,
                    subject=_("Laporan keterlambatan permohonan %(app)s") % {"app": app.number},
                    body=body)
    return action


def applicant_destinations(app: PermitApplication) -> list[tuple[str, str]]:
    """The applicant's channel: WhatsApp (or else SMS) on their phone when the office runs
    it, else e-mail."""
    phone, email = app.phone, app.email
    office = app.office
    if phone:
        if (app.prefers_whatsapp and settings.ADUAN_WHATSAPP_ENABLED
                and channel_kind_is_active(office, ChannelKind.WHATSAPP)):
            return [(OutboxChannel.WHATSAPP, phone)]
        if settings.ADUAN_SMS_ENABLED and channel_kind_is_active(office, ChannelKind.SMS):
            return [(OutboxChannel.SMS, phone)]
    if email:
        return [(OutboxChannel.EMAIL, email)]
    return []


def applicant_message_preview(app: PermitApplication) -> str:
    conf = watch_settings_for(app.office)
    return render_text(conf.applicant_message_template, application_context(app))


def applicant_notify(*, app: PermitApplication, actor: User, text: str = "") -> WatchAction:
    """Tell the applicant where their application is and when it should be done."""
    _check_act(actor, app)
    body = _clean_result(text) or applicant_message_preview(app)
    destinations = applicant_destinations(app)
    if not destinations:
        raise ValidationFailed(_("Pemohon tidak mempunyai kontak yang dapat dikirimi pesan."))
    with transaction.atomic():
        action = WatchAction.objects.create(
            application=app, kind=ActionKind.APPLICANT_MESSAGE, done_on=timezone.localdate(),
            actor=actor, body=body,
            contact=", ".join(str(OutboxChannel(c).label) for c, _a in destinations),
            result=_("Pesan dikirim melalui %(channels)s.") % {
                "channels": ", ".join(str(OutboxChannel(c).label) for c, _a in destinations)})
        rows = [OutboxMessage.objects.create(
            template_code=TemplateCode.MESSAGE, channel=channel, recipient=address,
            subject=(_("Kabar permohonan %(number)s") % {"number": app.number}
                     if channel == OutboxChannel.EMAIL else ""),
            body=body, data={"register_number": app.number},
            dedupe_key=f"watch-action-{action.pk}-{channel}")
            for channel, address in destinations]
        outbox_enqueue_on_commit([r.pk for r in rows])
    return action


# --------------------------------------------------------------------------------------------
# Holders: the unit or agency named in an export
# --------------------------------------------------------------------------------------------


def holder_resolver(office_id: int):  # type: ignore[no-untyped-def]
    """A function from the holder named in an export to (unit id, agency id)."""
    names: dict[str, tuple[int | None, int | None]] = {}
    for unit in Unit.objects.filter(office_id=office_id):
        names[permit_key(unit.name)] = (unit.pk, None)
        names[permit_key(unit.code)] = (unit.pk, None)
    for agency in ReferralAgency.objects.filter(office_id=office_id):
        names[permit_key(agency.name)] = (None, agency.pk)
        names[permit_key(agency.code)] = (None, agency.pk)

    def resolve(holder: str) -> tuple[int | None, int | None]:
        return names.get(permit_key(holder), (None, None))

    return resolve
