"""Working-day arithmetic (hari kerja): weekends and configured days off are skipped.

The calendar is pure: it is given the days off (national holidays, cuti bersama, regional days)
and the days that are working days despite the package (an administrator's correction after a
decree changes). `offices.calendar.calendar_for_office` builds one from the database.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

SATURDAY = 5


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({5, 6})

    @classmethod
    def build(cls, days_off: Iterable[date], extra_working_days: Iterable[date] = ()) -> WorkingCalendar:
        return cls(frozenset(days_off), frozenset(extra_working_days))

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.days_off

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself is not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        total = (end - start).days
        weeks, rest = divmod(total, 7)
        count = weeks * (7 - len(self.weekend))
        day = start
        for _ in range(rest):
            day += timedelta(days=1)
            if day.weekday() not in self.weekend:
                count += 1
        # Adjust for days off and overrides inside the interval.
        count -= sum(
            1 for d in self._sorted_off_between(start, end) if d.weekday() not in self.weekend
        )
        count += sum(
            1 for d in self.extra_working_days if start < d <= end and d.weekday() in self.weekend
        )
        return count

    def running_count(self, first: date, last: date) -> list[int]:
        """[working days in (first, first + k] for k in 0 .. (last - first).days]: the working
        days between any two dates of the span are a subtraction of two of its items."""
        span = max((last - first).days, 0)
        prefix = [0] * (span + 1)
        day, count = first, 0
        for i in range(1, span + 1):
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
            prefix[i] = count
        return prefix

    def counter(self, first: date, last: date) -> Callable[[date, date], int]:
        """`working_days_between` for many pairs of dates, all within [first, last]: one walk
        over the days of that span, then each pair costs a subtraction (the dashboard's median
        working days to the first follow-up weighs a few thousand pairs of a semester). A date
        outside the span falls back to `working_days_between`."""
        prefix = self.running_count(first, last)
        span = len(prefix) - 1
        base = first.toordinal()

        def between(start: date, end: date) -> int:
            i, j = start.toordinal() - base, end.toordinal() - base
            if 0 <= i <= span and 0 <= j <= span:
                return prefix[j] - prefix[i]
            return self.working_days_between(start, end)

        return between

    def __post_init__(self) -> None:
        ordered = tuple(sorted(d for d in self.days_off if d not in self.extra_working_days))
        object.__setattr__(self, "_ordered_off", ordered)

    def _sorted_off_between(self, start: date, end: date) -> tuple[date, ...]:
        ordered: tuple[date, ...] = self._ordered_off  # type: ignore[attr-defined]
        lo = bisect.bisect_right(ordered, start)
        hi = bisect.bisect_right(ordered, end)
        return ordered[lo:hi]
