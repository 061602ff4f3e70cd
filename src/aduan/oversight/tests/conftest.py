"""Three offices with hand-written cases, for the regency figures (and an inactive fourth)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from aduan.accounts.models import Role, User
from aduan.accounts.roles import ensure_role_groups
from aduan.complaints.models import CaseTransfer, Complaint, Reporter
from aduan.complaints.workflow import Status
from aduan.ikm.models import SurveyResponse
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.offices.models import Channel, Office, Unit
from aduan.reports.selectors import Period

JAKARTA = ZoneInfo("Asia/Jakarta")
PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
AS_OF = dt.date(2025, 7, 15)
REPORTER_NAME = "Rahasia Pelapor Oversight"
REPORTER_PHONE = "+6281299990001"
SUBJECT = "Subjek rahasia kabupaten"
_sequence = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_office(code: str, name: str, *, active: bool = True) -> Office:
    office = Office.objects.create(code=code, name=name, short_name=name[:60], city="Bengkalis",
                                   government_name="PEMERINTAH KABUPATEN BENGKALIS",
                                   is_active=active)
    Channel.objects.create(office=office, code="web", name="Web")
    Unit.objects.create(office=office, code=f"{code}-1", name=f"Bidang Satu {name}")
    Unit.objects.create(office=office, code=f"{code}-2", name=f"Bidang Dua {name}")
    return office


def make_case(office: Office, received: str, due: str, *, settled: str | None = None,
              unit: int | None = None, confidential: bool = False) -> Complaint:
    """A case written as it stands (no procedure): the daily figures follow `save`."""
    seq = next(_sequence)
    reporter = Reporter.objects.create(name=REPORTER_NAME, phone=REPORTER_PHONE,
                                       email="rahasia@contoh.id", is_confidential=confidential)
    day = d(received)
    return Complaint.objects.create(
        office=office, register_year=day.year, register_sequence=seq,
        register_number=f"OV/{seq}/{day.year}", issued_on=day,
        channel=office.channels.get(code="web"),
        received_at=dt.datetime.combine(day, dt.time(9), tzinfo=JAKARTA), received_on=day,
        subject=SUBJECT, description="Isi rahasia kabupaten", reporter=reporter,
        status=Status.CLOSED if settled else Status.DISPOSITIONED,
        unit=office.units.get(code=f"{office.code}-{unit}") if unit else None,
        due_on=d(due), settled_on=d(settled) if settled else None)


def survey(office: Office, score: int, when: dt.date) -> SurveyResponse:
    answer = SurveyResponse.objects.create(
        office=office, elements=dict.fromkeys(ELEMENT_CODES, score), score=score,
        age_band="30-39", sex="f", education="sma", occupation="private",
        nonce=f"nonce-{next(_sequence)}")
    SurveyResponse.objects.filter(pk=answer.pk).update(
        created_at=dt.datetime.combine(when, dt.time(10), tzinfo=JAKARTA))
    return answer


@dataclass
class Regency:
    a: Office
    b: Office
    c: Office
    inactive: Office
    cases: list[Complaint]


@pytest.fixture
def regency(db) -> Regency:
    """Hand-computed figures for PERIOD, overdue as of AS_OF:

    A: 4 received (2 settled: 1 on time, 1 late; 2 open: 1 overdue), 1 more before the period.
       Units: A-1 2 received, 2 settled (1 on time, 1 late); A-2 1 received, 1 overdue;
       unassigned 1 received, open, not yet due.
    B: 4 received (3 settled on time, 1 open overdue); IKM of two survey answers (4 and 3).
    C: nothing.  D (inactive): 1 case, never listed.
    Regency: 8 received, 5 settled, 3 in process, 2 overdue, 4 on time, 1 late.
    """
    a, b, c = (make_office("dinas-a", "Dinas A"), make_office("dinas-b", "Dinas B"),
               make_office("dinas-c", "Dinas C"))
    inactive = make_office("dinas-d", "Dinas D", active=False)
    cases = [
        make_case(a, "2025-02-03", "2025-03-03", settled="2025-02-20", unit=1),
        make_case(a, "2025-02-10", "2025-03-10", settled="2025-03-20", unit=1),
        make_case(a, "2025-03-01", "2025-03-29", unit=2, confidential=True),
        make_case(a, "2025-06-20", "2025-07-18"),
        make_case(a, "2024-12-20", "2025-01-20"),
        make_case(b, "2025-01-06", "2025-02-03", settled="2025-01-10"),
        make_case(b, "2025-04-07", "2025-05-05", settled="2025-05-05"),
        make_case(b, "2025-06-02", "2025-06-30", settled="2025-06-30", unit=1),
        make_case(b, "2025-05-02", "2025-05-30", unit=2),
        make_case(inactive, "2025-03-03", "2025-03-31"),
    ]
    survey(b, 4, d("2025-03-10"))
    survey(b, 3, d("2025-04-10"))
    survey(a, 2, d("2024-11-10"))  # before the period
    # Hops (working days from the sender's receipt to the hop): A -> B 2 days; A -> B 5 days,
    # refused back; B -> C 1 day (a route); A -> C before the period.
    hop(cases[0], a, b, "2025-02-03", "2025-02-05")
    hop(cases[1], a, b, "2025-03-03", "2025-03-10", refused=True)
    hop(cases[5], b, c, "2025-06-16", "2025-06-17", kind="route")
    hop(cases[4], a, c, "2024-12-20", "2024-12-30")
    return Regency(a, b, c, inactive, cases)


def hop(case: Complaint, sender: Office, receiver: Office, received: str, hopped: str, *,
        refused: bool = False, kind: str = "forward") -> CaseTransfer:
    by = User.objects.get_or_create(username="penerus", defaults={"office": sender})[0]
    at = dt.datetime.combine(d(hopped), dt.time(10), tzinfo=JAKARTA)
    seq = next(_sequence)
    return CaseTransfer.objects.create(
        complaint=case, kind=kind, state="refused" if refused else "moved",
        from_office=sender, to_office=receiver, from_register_number=f"F/{seq}",
        from_register_year=2025, from_register_sequence=seq, to_register_number=f"T/{seq}",
        to_register_year=2025, to_register_sequence=seq,
        from_received_at=dt.datetime.combine(d(received), dt.time(9), tzinfo=JAKARTA),
        reason="Bukan kewenangan", requested_by=by, requested_at=at,
        decided_by=by if refused else None, decided_at=at if refused else None,
        refusal_reason="Bukan kewenangan kami" if refused else "")


@pytest.fixture
def make_staff(db):
    """A user of `office` holding `role` (two-factor verified by the tests' login)."""

    def _make(username: str, office: Office, role: Role) -> User:
        ensure_role_groups()
        user = User.objects.create_user(username=username, password="x-test-pass-123",
                                        office=office)
        user.groups.add(Group.objects.get(name=role.value))
        return User.objects.get(pk=user.pk)

    return _make
