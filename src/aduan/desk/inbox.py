"""The inbox query: filters, keyword search and keyset pagination on (received_at, id).

Keyset (not OFFSET) pagination keeps every page as cheap as the first at a million cases: each
page is one index range scan on the `cmp_inbox*` indexes, newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.dateparse import parse_date

from aduan.accounts.models import User
from aduan.complaints.access import ALL_UNITS, visible_scope
from aduan.complaints.caselist import CaseQuery, Deadline, State, case_page
from aduan.complaints.figures import figures_status_counts
from aduan.complaints.models import Complaint
from aduan.complaints.pagination import cursor_decode, cursor_encode
from aduan.complaints.privacy import may_read_unredacted
from aduan.complaints.search import name_sample_prefetch
from aduan.complaints.selectors import complaint_list_for_user
from aduan.complaints.workflow import SETTLED_STATUSES, Status

PAGE_SIZE = 50

__all__ = ["PAGE_SIZE", "Deadline", "InboxFilters", "InboxPage", "State", "StateCounts",
           "inbox_page", "state_counts", "status_counts"]


@dataclass
class InboxFilters:
    status: str = ""
    channel: int | None = None
    unit: int | None = None
    service_type: int | None = None
    deadline: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    q: str = ""
    # "" = the default: open work, unless a status, a deadline or a search says otherwise.
    state: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params: dict[str, str]) -> InboxFilters:
        """Parse the query string; unknown values are dropped (and reported), never fatal."""
        f = cls(q=(params.get("q") or "").strip()[:200])
        status = params.get("status") or ""
        if status in Status.values:
            f.status = status
        deadline = params.get("deadline") or ""
        if deadline in Deadline.CHOICES:
            f.deadline = deadline
        state = params.get("state") or ""
        if state in State.CHOICES:
            f.state = state
        for name in ("channel", "unit", "service_type"):
            raw = params.get(name) or ""
            if raw.isdigit() and len(raw) <= 12:  # beyond that it overflows a database id
                setattr(f, name, int(raw))
        for name in ("start", "end"):
            raw = params.get(name) or ""
            if raw:
                try:
                    day = parse_date(raw)
                except ValueError:
                    day = None
                if day is None:
                    f.errors.append(name)
                setattr(f, name, day)
        return f

    @property
    def is_filtered(self) -> bool:
        return any([self.status, self.channel, self.unit, self.service_type, self.deadline,
                    self.start, self.end, self.q])

    @property
    def effective_state(self) -> str:
        """The inbox opens on the work that is open; settled cases are one click away. A
        chosen status or a search looks at every state unless a state was chosen too."""
        if self.state:
            return self.state
        if self.status or self.q:
            return State.ALL
        return State.OPEN

    def case_query(self, user: User) -> CaseQuery:
        return CaseQuery(
            state=self.effective_state, status=self.status, channel=self.channel,
            unit=self.unit, service_types=(self.service_type,) if self.service_type else (),
            deadline=self.deadline, received_from=self.start, received_to=self.end, q=self.q,
            search_names=may_read_unredacted(user))


# The desk's names for the shared keyset cursor (tests and views use them).
encode_cursor = cursor_encode
decode_cursor = cursor_decode


@dataclass
class InboxPage:
    rows: list[Complaint]
    next_cursor: str
    is_first: bool


def inbox_page(user: User, f: InboxFilters, cursor: str = "") -> InboxPage:
    """One page of the cases `user` may see, newest first. One query, whatever the page: the
    one case-list query (complaints/caselist.py) that the API and Open311 use too."""
    after = decode_cursor(cursor)
    query = f.case_query(user)
    if query.search_names:
        # The complaint team searches names: their process reads its sample of names in the
        # background now, before a search would want it (complaints/search.py).
        name_sample_prefetch()
    # The "dianonimkan" badge: one more column from the reporter, in the same query.
    qs = complaint_list_for_user(user).annotate(is_anonymised=ExpressionWrapper(
        Q(reporter__anonymised_at__isnull=False), output_field=BooleanField()))
    page = case_page(qs, query, limit=PAGE_SIZE, after=after,
                     office_id=user.office_id)
    return InboxPage(rows=page.rows,
                     next_cursor=encode_cursor(page.rows[-1]) if page.has_more else "",
                     is_first=after is None)


@dataclass
class StateCounts:
    """Cases per state and per status, for the inbox's head."""

    open: int
    settled: int
    open_statuses: list[tuple[Status, int]]
    settled_statuses: list[tuple[Status, int]]

    @property
    def total(self) -> int:
        return self.open + self.settled


def state_counts(user: User) -> StateCounts:
    by_status = status_counts(user)
    opened = [(s, n) for s, n in by_status if s.value not in SETTLED_STATUSES]
    settled = [(s, n) for s, n in by_status if s.value in SETTLED_STATUSES]
    return StateCounts(open=sum(n for _s, n in opened), settled=sum(n for _s, n in settled),
                       open_statuses=opened, settled_statuses=settled)


def status_counts(user: User) -> list[tuple[Status, int]]:
    """Cases per status the user may see (their unit's only, for unit staff), from the daily
    figures (complaints/figures.py): always current, and fast at a million cases."""
    scope = visible_scope(user)
    if scope is None:
        return []
    office_id, unit_id = scope
    counts = figures_status_counts(office_id, None if unit_id == ALL_UNITS else unit_id)
    return [(s, counts[s.value]) for s in Status if counts.get(s.value)]
