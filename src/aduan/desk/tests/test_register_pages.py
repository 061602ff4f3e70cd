"""The register book's keyset pages (issue 18): every row once, in register order, numbered as
the whole period's count numbers them, forward and back, for the office and for a unit."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from aduan.complaints import services
from aduan.complaints.models import Complaint
from aduan.complaints.register_book import ORDER, key_decode, register_page
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.desk.views import register as register_view

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
REGISTER = reverse("desk:register")
START, END = dt.date(2024, 12, 30), dt.date(2025, 1, 3)


@pytest.fixture
def period_cases(office, officer, lead):
    """Eleven cases over a year's turn, several on one day, recorded out of order (a later
    register number for an earlier receipt), one outside the period and two disposed to
    unit A."""
    at = [
        (2025, 1, 2, 9),
        (2024, 12, 30, 8),
        (2025, 1, 2, 8),
        (2024, 12, 31, 16),
        (2025, 1, 2, 10),
        (2025, 1, 3, 7),
        (2024, 12, 30, 9),
        (2025, 1, 1, 11),
        (2025, 1, 2, 11),
        (2024, 12, 31, 9),
        (2025, 1, 3, 12),
        (2025, 1, 4, 9),
    ]
    cases = [
        register_complaint(office, received=dt.datetime(*a, tzinfo=JAKARTA), subject=f"Kasus {n}")
        for n, a in enumerate(at)
    ]
    unit = office.units.get(code="perizinan-a")
    for c in (cases[2], cases[7]):
        services.complaint_verify(complaint_id=c.pk, actor=officer, checklist=Checklist())
        services.complaint_dispose(complaint_id=c.pk, actor=lead, unit=unit)
    return cases


def _expected(user):
    from aduan.complaints.access import complaints_visible_to

    return list(
        complaints_visible_to(user)
        .filter(received_on__gte=START, received_on__lte=END)
        .order_by(*ORDER)
        .values_list("register_number", flat=True)
    )


@pytest.mark.parametrize("username", ["petugas", "perizinan_a"])
def test_pages_forward_and_back_number_every_row_as_the_whole_count(period_cases, users, username):
    user = users[username]
    expected = _expected(user)
    assert len(expected) == (11 if username == "petugas" else 2)
    seen, page = [], register_page(user, START, END, per_page=3)
    assert not page.has_previous
    while True:
        assert page.total == len(expected)
        assert page.first_number == len(seen) + 1
        seen += [c.register_number for c in page.rows]
        if not page.has_next:
            break
        page = register_page(user, START, END, per_page=3, after=key_decode(page.last_key))
        assert page.has_previous
    assert seen == expected
    back, page = [], register_page(user, START, END, per_page=3, last=True)
    assert not page.has_next
    while True:
        assert page.last_number == len(expected) - len(back)
        back = [c.register_number for c in page.rows] + back
        if not page.has_previous:
            break
        page = register_page(user, START, END, per_page=3, before=key_decode(page.first_key))
        assert page.has_next
    assert back == expected


def test_empty_period_and_malformed_keys(period_cases, users):
    user = users["petugas"]
    page = register_page(user, dt.date(2023, 1, 1), dt.date(2023, 1, 31), per_page=3)
    assert (page.rows, page.total, page.has_previous, page.has_next) == ([], 0, False, False)
    for token in ("", "x", "2025-13-01.2025.1", "2025-01-01.2025.-1", "2025-01-01.25.1", None):
        assert key_decode(token) is None


def _page_rows(text: str) -> list[tuple[int, str]]:
    return [
        (int(m[1]), html.unescape(m[2]))
        for m in re.finditer(
            r"<tr>\s*<td>(\d+)</td>\s*<td>[^<]*</td>\s*<td><time[^>]*>[^<]*</time><br><small>"
            r'<a href="[^"]*">([^<]+)</a>',
            text,
        )
    ]


def test_register_page_links_walk_the_period(period_cases, client_for, monkeypatch):
    monkeypatch.setattr(register_view, "ROWS_PER_PAGE", 4)
    expected = list(
        Complaint.objects.filter(received_on__gte=START, received_on__lte=END)
        .order_by(*ORDER)
        .values_list("register_number", flat=True)
    )
    client = client_for("petugas")
    query = {"start": START.isoformat(), "end": END.isoformat()}
    text = client.get(REGISTER, query).text
    assert "11 pengaduan diterima" in text and "Baris 1–4 dari 11" in text
    assert "Sebelumnya" not in text
    rows = _page_rows(text)
    while link := re.search(r'href="([^"]*after=[^"]*)" rel="next"', text):
        text = client.get(REGISTER + html.unescape(link[1])).text
        rows += _page_rows(text)
    assert rows == [(n, number) for n, number in enumerate(expected, 1)]
    assert "Baris 9–11 dari 11" in text and 'rel="prev"' in text
    back = _page_rows(text)
    while link := re.search(r'href="([^"]*before=[^"]*)" rel="prev"', text):
        text = client.get(REGISTER + html.unescape(link[1])).text
        back = _page_rows(text) + back
    assert back == rows
    last = client.get(REGISTER, {**query, "last": "1"}).text
    assert _page_rows(last) == rows[-4:] and "Baris 8–11 dari 11" in last
