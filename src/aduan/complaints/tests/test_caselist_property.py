"""The one case-list query (complaints/caselist.py) against a plain reading of the rows.

Hypothesis draws any combination of the filters (state, status, channel, unit, service types,
deadline, a range of days, the viewer: an officer of the whole office or a unit's staff) and
a page size; the keyset pages of `case_page`, walked to the end, must give exactly the cases a
plain Python filter of the rows selects, newest first by (received_at, id), and `case_queue` the
same cases oldest first. However the indexes and the query's shape change for speed, the rows
must not (issue #17). Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.caselist import CaseQuery, Deadline, State, case_page, case_queue
from aduan.complaints.models import Complaint
from aduan.complaints.pagination import cursor_decode, cursor_encode
from aduan.complaints.selectors import complaint_list_for_user
from aduan.complaints.tests.factories import make_office, register_complaint
from aduan.complaints.workflow import SETTLED_STATUSES, Status
from aduan.offices.calendar import calendar_for_office

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
CASES = 48


@pytest.fixture
def world(office, users):
    """Cases of the demo office over two years, in every status, channel, unit and service
    type (and none), due dates around today, several received at the same instant (ties broken
    by id) and around local midnight; and a few cases of another office, which no list of
    this office may show."""
    rng = random.Random(17)
    today = timezone.localdate()
    channels = list(office.channels.order_by("pk").values_list("code", flat=True))
    units = [None, *office.units.order_by("pk").values_list("pk", flat=True)]
    service_types = [None, *office.service_types.order_by("pk").values_list("pk", flat=True)]
    stamps = []
    for i in range(CASES):
        day = today - dt.timedelta(days=rng.choice([0, 1, 2, 5, 9, 30, 200, 400, 700]))
        at = dt.datetime.combine(day, rng.choice([dt.time(0, 5), dt.time(9, 0),
                                                  dt.time(23, 55)]), tzinfo=JAKARTA)
        at = min(at, timezone.now() - dt.timedelta(minutes=1))  # never in the future
        stamps.append(stamps[-1] if i % 7 == 3 else at)  # the same instant as the one before
    for i, at in enumerate(stamps):
        case = register_complaint(office, received=at, channel_code=channels[i % len(channels)],
                                  subject=f"Kasus {i}")
        due = max(case.received_on, today + dt.timedelta(days=rng.randint(-12, 12)))
        Complaint.objects.filter(pk=case.pk).update(
            status=rng.choice(list(Status)), unit_id=rng.choice(units),
            service_type_id=rng.choice(service_types), due_on=due)
    other = make_office("lain", "Kantor Lain")
    for i in range(3):
        case = register_complaint(other, received=stamps[i], subject=f"Lain {i}")
        Complaint.objects.filter(pk=case.pk).update(due_on=today - dt.timedelta(days=1),
                                                    status=Status.DISPOSITIONED)
    rows = list(Complaint.objects.filter(office=office))
    days = sorted({c.received_on for c in rows})
    return {
        "office": office, "rows": rows, "viewers": [users["petugas"], users["perizinan_a"]],
        "channels": [*office.channels.values_list("pk", flat=True),
                     other.channels.values_list("pk", flat=True)[0]],
        "units": [*units[1:], other.units.values_list("pk", flat=True)[0]],
        "service_types": [*service_types[1:], other.service_types.values_list("pk",
                                                                               flat=True)[0]],
        "days": sorted({d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)}),
        "soon": calendar_for_office(office.pk).add_working_days(today, 3),
        "today": today,
    }


def _plain(c: Complaint, f: CaseQuery, viewer, w) -> bool:
    """The filter read off the row, one condition at a time."""
    from aduan.complaints.access import ALL_UNITS, visible_scope

    office_id, unit_id = visible_scope(viewer)
    is_open = c.status not in SETTLED_STATUSES
    today = w["today"]
    return all([
        c.office_id == office_id, unit_id == ALL_UNITS or c.unit_id == unit_id,
        f.state != State.OPEN or is_open, f.state != State.SETTLED or not is_open,
        not f.status or c.status == f.status,
        not f.channel or c.channel_id == f.channel,
        not f.unit or c.unit_id == f.unit,
        not f.service_types or c.service_type_id in f.service_types,
        not f.received_from or c.received_on >= f.received_from,
        not f.received_to or c.received_on <= f.received_to,
        f.deadline != Deadline.OVERDUE or (is_open and c.due_on < today),
        f.deadline != Deadline.DUE_SOON or (is_open and today <= c.due_on <= w["soon"]),
        f.deadline != Deadline.OPEN or is_open,
        f.deadline != Deadline.NOT_OVERDUE or not (is_open and c.due_on < today),
    ])


@st.composite
def queries(draw, w):
    def maybe(values):
        return draw(st.one_of(st.none(), st.sampled_from(values)))

    start, end = maybe(w["days"]), maybe(w["days"])
    return CaseQuery(
        state=draw(st.sampled_from(State.CHOICES)),
        status=draw(st.one_of(st.just(""), st.sampled_from([s.value for s in Status]))),
        channel=maybe(w["channels"]), unit=maybe(w["units"]),
        service_types=tuple(draw(st.lists(st.sampled_from(w["service_types"]), max_size=2))),
        deadline=draw(st.sampled_from(["", *Deadline.CHOICES, Deadline.NOT_OVERDUE])),
        received_from=start, received_to=end)


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_filtered_page_is_the_plain_reading(world, data):
    w = world
    f = data.draw(queries(w), label="query")
    viewer = data.draw(st.sampled_from(w["viewers"]), label="viewer")
    limit = data.draw(st.sampled_from([7, 50]), label="page size")
    expected = sorted((c for c in w["rows"] if _plain(c, f, viewer, w)),
                      key=lambda c: (c.received_at, c.pk), reverse=True)
    qs = complaint_list_for_user(viewer)
    got, after = [], None
    for _ in range(CASES + 2):
        page = case_page(qs, f, limit=limit, after=after, office_id=w["office"].pk)
        assert len(page.rows) <= limit
        got += [c.pk for c in page.rows]
        if not page.has_more:
            break
        after = cursor_decode(cursor_encode(page.rows[-1]))
    assert got == [c.pk for c in expected], f
    queue = case_queue(qs, f, limit=limit, office_id=w["office"].pk)
    assert [c.pk for c in queue.rows] == [c.pk for c in reversed(expected)][:limit]
    assert queue.has_more == (len(expected) > limit)


def test_the_world_has_something_for_most_filters(world):
    """The drawn filters can fail: the rows cover every state, and each filter value selects
    some cases and leaves out others."""
    rows = world["rows"]
    assert len(rows) == CASES
    statuses = {c.status for c in rows}
    assert statuses & SETTLED_STATUSES and statuses - SETTLED_STATUSES
    assert len({c.unit_id for c in rows}) > 2 and len({c.service_type_id for c in rows}) > 2
    assert len({c.channel_id for c in rows}) > 2
    today = world["today"]
    opened = [c for c in rows if c.status not in SETTLED_STATUSES]
    assert any(c.due_on < today for c in opened) and any(c.due_on >= today for c in opened)
    assert any(today <= c.due_on <= world["soon"] for c in opened)
    assert len({c.received_at for c in rows}) < len(rows)  # ties on received_at
