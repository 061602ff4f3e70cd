"""The demo regency (issue 18, decision 0013): the seed office, the regent's central intake
("Lapor Bupati Bengkalis") and three offices (Disdukcapil, Dinas PUPR, DLH), each with its own
configuration, logins and a few cases, so routing and forwarding can be tried at once.

The prose lives in regency.json; this module only loads it, through the real services, and is
idempotent (a second run changes no row and registers no case twice).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from aduan.accounts.models import Membership, User
from aduan.complaints import services
from aduan.complaints.models import CaseEvent, EventKind
from aduan.demo.users import DemoLogin, DemoUser, load_demo_user_rows
from aduan.offices.models import Channel, Office, ServiceType, Unit
from aduan.portal.models import FaqEntry

DATA_FILE = Path(__file__).with_name("regency.json")
JAKARTA = ZoneInfo("Asia/Jakarta")
CASE_KEY = "regency_demo_case"


@cache
def regency_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def regency_usernames() -> set[str]:
    return {row[0] for entry in regency_data()["offices"] for row in entry["users"]}


@dataclass(frozen=True)
class RegencyOffice:
    office: Office
    logins: list[DemoLogin]
    cases_loaded: int
    members: list[str]  # usernames of other offices holding roles here too


def load_demo_regency(*, with_devices: bool = True) -> list[RegencyOffice]:
    """Create or update every regency office of regency.json with its configuration, users
    and cases (the seed office is loaded by load_demo before this); idempotent."""
    return [_load_office(entry, with_devices=with_devices)
            for entry in regency_data()["offices"]]


def _load_office(entry: dict[str, Any], *, with_devices: bool) -> RegencyOffice:
    office = _load_configuration(entry)
    rows = [DemoUser(*row) for row in entry["users"]]
    logins = load_demo_user_rows(office, rows, with_devices=with_devices)
    users = {u.username: u for u in User.objects.filter(office=office)}
    officer = users[next(r.username for r in rows if r.role == "officer")]
    members = [_membership(office, *row) for row in entry.get("memberships", [])]
    loaded = 0
    for case in entry["cases"]:
        loaded += _load_case(office, case, officer)
    return RegencyOffice(office, logins, loaded, members)


def _membership(office: Office, username: str, unit_code: str | None,
                roles: list[str]) -> str:
    """A login of another office that also works here (accounts.Membership); idempotent."""
    Membership.objects.update_or_create(
        user=User.objects.get(username=username), office=office,
        defaults={"unit": office.units.get(code=unit_code) if unit_code else None,
                  "roles": roles, "is_active": True})
    return username


@transaction.atomic
def _load_configuration(entry: dict[str, Any]) -> Office:
    fields = entry["office"]
    office, _ = Office.objects.update_or_create(code=fields["code"], defaults=fields)
    units = {}
    for order, (code, name, team) in enumerate(entry["units"]):
        units[code], _ = Unit.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "is_complaint_team": team, "order": order})
    for order, (code, name, kind, contact) in enumerate(entry["channels"], start=1):
        Channel.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "kind": kind, "contact": contact, "order": order,
                      "in_report": True})
    for code, name, unit, keywords in entry["service_types"]:
        ServiceType.objects.update_or_create(
            office=office, code=code,
            defaults={"name": name, "default_unit": units[unit], "keywords": keywords})
    for order, (code, question, answer, keywords) in enumerate(entry["faqs"], start=1):
        faq = FaqEntry.objects.filter(office=office, code=code).first() or FaqEntry(
            office=office, code=code)
        faq.question, faq.answer, faq.keywords, faq.order = question, answer, keywords, order
        faq.save()
    return office


def _working_day_before(days: int) -> dt.date:
    """`days` weekdays before today (holidays do not matter for a demo's receipt date)."""
    day = timezone.localdate()
    while days:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=JAKARTA)


def _load_case(office: Office, case: dict[str, Any], officer: User) -> int:
    """Register one case and walk it to its outcome; 0 when it is already there."""
    if CaseEvent.objects.filter(complaint__office=office, kind=EventKind.RECEIVED,
                                **{f"data__{CASE_KEY}": case["key"]}).exists():
        return 0
    day = _working_day_before(max(1, int(case["days_ago"])))
    received = _at(day, 9)
    service_type = (office.service_types.get(code=case["service_type"])
                    if case.get("service_type") else None)
    with transaction.atomic():
        complaint = services.complaint_register(
            office=office, channel=office.channels.get(code=case["channel"]),
            subject=case["subject"], description=case["description"],
            reporter=services.ReporterInput(
                name=case.get("reporter_name", ""), phone=case.get("phone", ""),
                email=case.get("email", ""), consent=True, consent_basis="public_task"),
            received_at=received,
            classification=case.get("classification", "complaint"),
            service_type=service_type,
            created_by=officer if case["channel"] == "meja_pengaduan" else None,
            data={CASE_KEY: case["key"]})
        outcome = case["outcome"]
        if outcome == "answered":
            services.complaint_answer(complaint_id=complaint.pk, actor=officer,
                                      answer=case["follow_up"], at=_at(day, 11))
        elif outcome == "in_unit":
            services.complaint_verify(
                complaint_id=complaint.pk, actor=officer,
                checklist=services.Checklist(chronology_present=True), at=_at(day, 10))
            services.complaint_dispose(
                complaint_id=complaint.pk, actor=_disposer(office),
                unit=office.units.get(code=case["unit"]), at=_at(day, 11))
        elif outcome != "received":
            raise ValueError(f"unknown outcome {outcome}")
    return 1


def _disposer(office: Office) -> User:
    """The office's team lead: only the lead dispositions (complaints/workflow.py)."""
    return User.objects.filter(office=office, groups__name="team_lead").order_by("pk").first() \
        or _missing(office, "team_lead")


def _missing(office: Office, role: str) -> User:
    raise ValueError(f"regency.json: {office.code} needs a {role} user for its cases")
