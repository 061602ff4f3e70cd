"""The desk's register book (buku register) read a page at a time (issue 18): keyset pages in
register order (received_on, register_year, register_sequence), the row numbers and the total
from the pre-aggregated daily figures (figures.py), so a page of a million-case office reads its
own rows and a few hundred small figure rows, never the whole period.

The row number of a page's first row is the number of the scope's cases received in the period
before it: the daily figures of the whole days before its day, plus a count of that one day's
earlier rows (index `cmp_received_on`). The page numbers the cases the office holds and lists
the numbers it forwarded away below them (`register_hops`); the printed and exported register
(reports/builders/register.py) numbers every number it issued, the forwarded ones among the
cases in order of receipt (decision 0014), so after a forward in the period the two numberings
differ from that row on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, Sum

from aduan.accounts.models import User
from aduan.complaints import figures as fig
from aduan.complaints.access import ALL_UNITS, complaints_visible_to, visible_scope
from aduan.complaints.models import Complaint, DailyFigure
from aduan.complaints.selectors import complaint_list_for_user

ORDER = ("received_on", "register_year", "register_sequence")
_KEY = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{4})\.(\d{1,9})$")

Key = tuple[dt.date, int, int]


def key_encode(complaint: Complaint) -> str:
    return (
        f"{complaint.received_on.isoformat()}.{complaint.register_year}."
        f"{complaint.register_sequence}"
    )


def key_decode(token: str | None) -> Key | None:
    """(received_on, register_year, register_sequence) from a page link, or None if malformed."""
    match = _KEY.match(token or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1]), int(match[2]), int(match[3])
    except ValueError:
        return None


def _beyond(key: Key, op: str) -> Q:
    """Rows strictly after (`op` "gt") or before ("lt") `key` in register order."""
    day, year, seq = key
    return (
        Q(**{f"received_on__{op}": day})
        | Q(received_on=day, **{f"register_year__{op}": year})
        | Q(received_on=day, register_year=year, **{f"register_sequence__{op}": seq})
    )


def _after(key: Key) -> Q:
    return _beyond(key, "gt")


def _before(key: Key) -> Q:
    return _beyond(key, "lt")


@dataclass
class RegisterPage:
    rows: list[Complaint]
    total: int
    first_number: int  # the register row number of rows[0] (1 when empty)
    has_previous: bool
    has_next: bool

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.rows) - 1

    @property
    def first_key(self) -> str:
        return key_encode(self.rows[0]) if self.rows else ""

    @property
    def last_key(self) -> str:
        return key_encode(self.rows[-1]) if self.rows else ""


def _figures_count(user: User, start: dt.date, end: dt.date) -> int:
    """The scope's cases received from `start` to `end` (inclusive), from the daily figures."""
    scope = visible_scope(user)
    if scope is None or end < start:
        return 0
    office_id, unit_id = scope
    qs = DailyFigure.objects.filter(
        office_id=office_id, dimension=fig.STATUS, day__gte=start, day__lte=end
    )
    if unit_id != ALL_UNITS:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by().aggregate(n=Sum("count"))["n"] or 0


def _rows_before(user: User, start: dt.date, key: Key) -> int:
    """How many rows of the register from `start` come before `key`."""
    day = key[0]
    whole_days = _figures_count(user, start, day - dt.timedelta(days=1))
    same_day = (
        complaints_visible_to(user).filter(received_on=day).filter(_before(key)).order_by().count()
    )
    return whole_days + same_day


def register_page(
    user: User,
    start: dt.date,
    end: dt.date,
    *,
    per_page: int,
    after: Key | None = None,
    before: Key | None = None,
    last: bool = False,
) -> RegisterPage:
    """One page of the register book of the period: the first page, the page after `after`,
    the page before `before`, or the `last` page. Reads per_page + 1 rows (to know whether
    another page follows) and sums the period's daily figures for the numbering."""
    period = complaints_visible_to(user).filter(received_on__gte=start, received_on__lte=end)
    backwards = before is not None or last
    if after is not None:
        period = period.filter(received_on__gte=after[0]).filter(_after(after))
    elif before is not None:
        period = period.filter(received_on__lte=before[0]).filter(_before(before))
    order = [f"-{f}" for f in ORDER] if backwards else list(ORDER)
    # The page's ids first, from the complaint table alone: the index gives the days in order
    # and only the rows of the page's days are sorted, none of them joined. Then the page's
    # rows with their reporter, channel, unit and service type, by id.
    ids = list(period.order_by(*order).values_list("pk", flat=True)[: per_page + 1])
    more = len(ids) > per_page
    ids = ids[:per_page]
    rows = sorted(
        complaint_list_for_user(user).select_related("reporter").filter(pk__in=ids),
        key=lambda c: (c.received_on, c.register_year, c.register_sequence),
    )
    total = _figures_count(user, start, end)
    if rows:
        first_number = 1 + _rows_before(
            user, start, (rows[0].received_on, rows[0].register_year, rows[0].register_sequence)
        )
    else:
        first_number = 1
    if backwards:
        has_previous, has_next = more, before is not None
    else:
        has_previous, has_next = after is not None, more
    return RegisterPage(
        rows=rows,
        total=total,
        first_number=first_number,
        has_previous=has_previous,
        has_next=has_next,
    )
