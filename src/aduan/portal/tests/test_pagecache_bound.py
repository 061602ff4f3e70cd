"""The tracking-page memo is bounded by the memory its pages hold (portal/pagecache.py
`BytesLRU`, PAGE_BYTES per process; issue 17): however many cases are looked up, it keeps the
most recently used pages within the bound and drops the least recently used first."""

from __future__ import annotations

import sys

import pytest
from django.urls import reverse

from aduan.portal import pagecache
from aduan.portal.pagecache import BytesLRU


def _page(n: int, size: int = 10_000) -> bytes:
    return (f"page {n} ".encode() * size)[:size]


def test_the_memo_stays_within_its_bytes_and_drops_the_least_recently_used():
    memo = BytesLRU(200_000)
    for n in range(100):  # 100 pages of 10 kB: five times the bound
        memo.set(f"key{n}", _page(n))
        if n >= 2:
            assert memo.get("key0") == _page(0)  # used again and again: kept
        assert memo.size <= memo.limit
    kept = [n for n in range(100) if memo.get(f"key{n}") is not None]
    assert 0 in kept and 99 in kept and 1 not in kept and 50 not in kept
    # The newest pages, as many as fit, are kept.
    assert kept[1:] == list(range(100 - len(kept) + 1, 100))
    assert len(kept) == len(memo) >= 15
    assert memo.size == sum(sys.getsizeof(f"key{n}") + sys.getsizeof(_page(n))
                            + BytesLRU.ENTRY_OVERHEAD for n in kept)


def test_a_replaced_page_is_counted_once_and_a_huge_page_is_not_kept():
    memo = BytesLRU(80_000)
    memo.set("a", _page(1, 5_000))
    memo.set("a", _page(2, 9_000))
    assert memo.get("a") == _page(2, 9_000)
    assert memo.size == sys.getsizeof("a") + sys.getsizeof(_page(2, 9_000)) + 100
    memo.set("a", _page(3, 20_000))  # more than an eighth of the bound: rendered every time
    assert memo.get("a") is None and memo.size == 0 and len(memo) == 0
    memo.set("b", _page(4, 1_000))
    memo.clear()
    assert memo.get("b") is None and memo.size == 0


@pytest.mark.django_db
def test_lookups_of_many_cases_keep_the_process_memo_within_its_bound(client, office,
                                                                      monkeypatch):
    """Through the tracking view: each first lookup memoises its page, within the bound."""
    from aduan.complaints.services import ReporterInput, complaint_register
    from aduan.portal.services import web_channel_for

    pages = BytesLRU(60_000)
    monkeypatch.setattr(pagecache, "_pages", pages)
    codes = [complaint_register(
        office=office, channel=web_channel_for(office), subject=f"Kasus {n}",
        description=f"Uraian kasus nomor {n}.",
        reporter=ReporterInput(name="Pelapor", email="p@example.org", consent=True),
    ).tracking_code for n in range(12)]
    sizes = []
    for code in codes:
        response = client.post(reverse("portal:track"), {"code": code})
        assert response.status_code == 200
        sizes.append(len(response.content))
        assert pages.size <= pages.limit
    assert 0 < len(pages) < len(codes)  # some kept, the oldest dropped
    assert pages.size > pages.limit - 2 * max(sizes) - 1000  # and the bound is used


def test_a_page_not_asked_for_is_dropped_after_the_idle_time(monkeypatch):
    """A page whose case changed is never asked for again (its key names the case's state):
    it goes once idle, at the memo's next use, not only when the bytes bound pushes it out
    (before: kept until the worker was recycled on a quiet portal, with the case's texts as
    they were before an erasure)."""
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    memo = BytesLRU(200_000, idle=600)
    memo.set("before-erasure", _page(1))
    memo.set("asked-for", _page(2))
    clock[0] += 500
    assert memo.get("asked-for") == _page(2)  # asked for: its idle time starts again
    clock[0] += 200
    assert memo.get("other") is None  # any use of the memo drops what is idle
    assert len(memo) == 1 and memo.get("asked-for") == _page(2)
    assert memo.size == sys.getsizeof("asked-for") + sys.getsizeof(_page(2)) + 100
    clock[0] += 601
    memo.set("new", _page(3))
    assert len(memo) == 1 and memo.get("new") == _page(3)
