"""The regency pages cost a fixed number of queries whatever the number of offices, and the
one-query span of dates of receipt says what the per-office lookups said (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.models import Role
from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.offices.models import Office
from aduan.oversight.selectors import (
    regency_latest_received_on,
    regency_offices,
    regency_public_stats,
    regency_years,
)
from aduan.oversight.tests.conftest import hop, make_case, make_office, survey
from aduan.reports.selectors import complaint_latest_received_on

pytestmark = pytest.mark.django_db


def _old_latest(offices: list[Office]) -> dt.date | None:
    """The computation before: one index lookup per office."""
    days = [day for o in offices if (day := complaint_latest_received_on(o)) is not None]
    return max(days, default=None)


def _old_years(offices: list[Office]) -> list[int]:
    first = [day for o in offices if (day := Complaint.objects.filter(office=o)
                                      .order_by("received_on")
                                      .values_list("received_on", flat=True).first())]
    last = _old_latest(offices)
    if not first or last is None:
        return []
    return list(range(last.year, min(first).year - 1, -1))


def test_span_of_receipt_equals_the_per_office_lookups(regency):
    offices = regency_offices()
    assert regency_latest_received_on(offices) == _old_latest(offices) == dt.date(2025, 6, 20)
    assert regency_years(offices) == _old_years(offices) == [2025, 2024]
    # One office, an office without cases, the inactive office's case never counted.
    for chosen in ([regency.a], [regency.b], [regency.c], [regency.b, regency.c]):
        assert regency_latest_received_on(chosen) == _old_latest(chosen)
        assert regency_years(chosen) == _old_years(chosen)
    assert regency_latest_received_on([regency.c]) is None
    assert regency_years([regency.c]) == []
    assert regency_years([]) == [] and regency_latest_received_on([]) is None
    make_case(regency.inactive, "2026-01-05", "2026-02-02")
    assert regency_latest_received_on() == dt.date(2025, 6, 20)
    make_case(regency.c, "2019-03-04", "2019-04-01")
    assert regency_years(regency_offices()) == _old_years(regency_offices()) == list(
        range(2025, 2018, -1))


def _add_offices(count: int, start: int) -> None:
    """More offices like the conftest's: cases, a survey answer and a hop each."""
    for i in range(start, start + count):
        office = make_office(f"dinas-x{i:02d}", f"Dinas X{i:02d}")
        first = make_case(office, "2025-02-03", "2025-03-03", settled="2025-03-20", unit=1)
        make_case(office, "2025-05-05", "2025-06-02", unit=2)
        make_case(office, "2024-10-01", "2024-10-29", settled="2024-10-10")
        survey(office, 3, dt.date(2025, 3, 1))
        hop(first, office, Office.objects.get(code="dinas-a"), "2025-02-03", "2025-02-06")


def _queries(client: Client, url: str, params: dict[str, str] | None = None) -> list[str]:
    assert client.get(url, params or {}).status_code == 200  # warm the per-process memos
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_regency_pages_do_not_query_per_office(regency, make_staff):
    client = login_verified(Client(), make_staff("pengawas", regency.c, Role.OVERSIGHT))
    pages = [(reverse("oversight:dashboard"), None),
             (reverse("oversight:dashboard"), {"start": "2021-01-01", "end": "2025-12-31"}),
             (reverse("oversight:export", args=["csv"]), None),
             (reverse("oversight:office", args=["dinas-a"]), None),
             (reverse("portal:statistics-regency"), None),
             (reverse("portal:statistics-regency"), {"tahun": "2025"})]
    before = [_queries(client, url, params) for url, params in pages]
    _add_offices(6, 1)  # three offices become nine
    after = [_queries(client, url, params) for url, params in pages]
    assert len(regency_offices()) == 9
    for (url, params), few, many in zip(pages, before, after, strict=True):
        assert len(many) == len(few), (url, params, few, many)
    figures = regency_public_stats(2025)
    assert figures.total.total == 8 + 6 * 2


def test_the_default_period_adds_one_query(regency, make_staff):
    """The semester of the newest case: one query for all offices (it was one per office)."""
    client = login_verified(Client(), make_staff("pengawas", regency.c, Role.OVERSIGHT))
    url = reverse("oversight:dashboard")
    given = _queries(client, url, {"start": "2025-01-01", "end": "2025-06-30"})
    default = _queries(client, url)
    assert len(default) == len(given) + 1
