"""The tracking fragment's written dates (portal/trackcase.py): bounded, and not emptied
whole when full (random lookups over years of cases emptied it over and over, issue 17)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from aduan.core.templatetags.dates import when
from aduan.portal import trackcase


def test_the_days_of_eight_years_are_kept_and_a_full_memo_drops_only_its_older_half():
    trackcase._dates.clear()
    trackcase._words.clear()
    start = dt.date(2019, 1, 1)
    with translation.override("id"):
        words = trackcase._words_here()
        days = [start + dt.timedelta(days=i) for i in range(8 * 366)]  # the harness's span
        for day in days:
            assert words.date(day) == when(day)
        assert len(words.dates) == len(days)  # all kept: a second pass writes none anew
        more = [start + dt.timedelta(days=i) for i in range(len(days), trackcase.DATES_KEPT + 1)]
        for day in more:
            words.date(day)
        assert len(words.dates) <= trackcase.DATES_KEPT
        assert len(words.dates) > trackcase.DATES_KEPT // 2  # not emptied whole
        assert more[-1] in words.dates and days[0] not in words.dates
        assert words.date(days[0]) == when(days[0])
