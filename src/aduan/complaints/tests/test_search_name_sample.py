"""The per-process sample of reporters' names (complaints/search.py) on PostgreSQL: no search
reads it (a background thread does, with its own connection), and an erasure makes a process
drop it (desk/0007's version) instead of keeping the erased name for up to 10 minutes."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.complaints import search
from aduan.complaints.models import Reporter

# Committed rows: the background read has its own connection, which sees no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sample(pg_name_memos):
    for name in ["Rahmat Hidayat", "Rahmat Saputra", "Siti Hidayat", "Wisanggeni Hidayat"]:
        Reporter.objects.create(name=name)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_reporter")
    return search._NAME_SAMPLE


def _finish_read() -> None:
    thread = search._NAME_SAMPLE_THREADS.get(connection.alias)
    assert thread is not None, "no background read started"
    thread.join(30)
    assert not thread.is_alive()


def test_no_search_reads_the_sample_a_background_thread_does(sample):
    """Before: the first search of a name of two words per process and 600 s read the ~30,000
    names in the request (66-72 ms at 1M)."""
    with CaptureQueriesContext(connection) as queries:
        assert search._pg_name_sample_share(["rahmat", "hidayat"]) is None
    assert not [q for q in queries.captured_queries if "TABLESAMPLE" in q["sql"]]
    _finish_read()
    count, words, _postings = search._pg_name_sample() or (0, [], {})
    assert count == 4 and {"rahmat", "hidayat", "wisanggeni"} <= set(words)
    assert search._pg_name_sample_share(["rahm", "hid"]) == pytest.approx(1 / 4)


def test_an_old_sample_serves_while_a_new_one_is_read(sample, monkeypatch):
    search.name_sample_load()
    read_at, *rest = sample[connection.alias]
    sample[connection.alias] = (read_at - search.NAME_STATS_SECONDS - 1, *rest)
    Reporter.objects.create(name="Rahmat Baru")
    with CaptureQueriesContext(connection) as queries:
        assert search._pg_name_sample_share(["rahmat", "hidayat"]) == pytest.approx(1 / 4)
    assert not [q for q in queries.captured_queries if "TABLESAMPLE" in q["sql"]]
    _finish_read()
    assert search._pg_name_sample_share(["rahmat", "hidayat"]) == pytest.approx(1 / 5)


def test_an_erasure_drops_the_erased_name_from_the_sample(sample, monkeypatch):
    """Within NAME_VERSION_SECONDS of the erasure's commit the next use drops the sample at once
    (the erased name's words leave the process's memory), then a new one is read without it.
    Before: kept until the sample's next read, up to NAME_STATS_SECONDS later."""
    search.name_sample_load()
    assert "wisanggeni" in sample[connection.alias][3]
    monkeypatch.setattr(search, "NAME_VERSION_SECONDS", 0.0)
    Reporter.objects.filter(name="Wisanggeni Hidayat").update(name="")  # as the erasure saves it
    assert search._pg_name_sample_share(["wis", "hid"]) is None  # a search: dropped, not used
    entry = sample.get(connection.alias)
    assert entry is None or "wisanggeni" not in entry[3]
    _finish_read()
    _count, words, _postings = search._pg_name_sample() or (0, [], {})
    assert "wisanggeni" not in words and {"rahmat", "hidayat"} <= set(words)


def test_a_search_without_a_sample_counts_with_the_words_shares(sample, monkeypatch):
    """Until the process's first read is done, a name of several words is estimated as before
    the sample (the product of each word's share), never by reading the sample in the request."""
    seen: list[float | None] = []

    def choose(*args, named_all, **kwargs):
        seen.append(named_all)
        return False, False

    monkeypatch.setattr(search, "_pg_choose", choose)
    monkeypatch.setattr(search, "_name_sample_start", lambda alias: None)
    shares = {"rahmat": 0.5, "hidayat": 0.75}  # as pg_stats gives them for the name index
    monkeypatch.setattr(search, "_pg_lexemes", lambda index: shares)
    with CaptureQueriesContext(connection) as queries:
        search._pg_plan(["rahmat", "hidayat"], by_name=True, office_id=None)
    assert not [q for q in queries.captured_queries if "TABLESAMPLE" in q["sql"]]
    assert seen == [pytest.approx(0.5 * 0.75 * 4)]


def test_the_complaint_teams_inbox_starts_the_read_unit_staffs_does_not(sample, officer,
                                                                         unit_a_staff):
    """The desk's inbox has the sample read ahead of a search, for the complaint team (who
    search names); a unit's staff (no name search) and the public pages never start it."""
    from aduan.desk.inbox import InboxFilters, inbox_page

    inbox_page(unit_a_staff, InboxFilters())
    assert connection.alias not in search._NAME_SAMPLE_THREADS
    inbox_page(officer, InboxFilters())
    _finish_read()
    # The inbox's page keeps its statements once the sample is held (desk/tests/test_inbox.py
    # pins them): its prefetch reads no version.
    search._NAME_VERSION_READ.clear()
    with CaptureQueriesContext(connection) as queries:
        inbox_page(officer, InboxFilters())
    assert not [q for q in queries.captured_queries if "name_version" in q["sql"]]
    assert search._pg_name_sample() is not None


def test_a_process_that_no_longer_searches_drops_an_erased_name(sample, monkeypatch):
    """A process that read its sample and then serves no desk request (no search, no inbox)
    still drops it after an erasure: its watcher thread reads the version. Before: kept until a
    desk request came."""
    monkeypatch.setattr(search, "NAME_VERSION_IDLE_SECONDS", 0.05)
    search.name_sample_load()
    assert "wisanggeni" in sample[connection.alias][3]
    Reporter.objects.filter(name="Wisanggeni Hidayat").update(name="")
    deadline = time.monotonic() + 10
    while connection.alias in sample and time.monotonic() < deadline:
        time.sleep(0.02)
    assert connection.alias not in sample
    watcher = search._NAME_SAMPLE_WATCHERS.get(connection.alias)
    if watcher is not None:
        watcher.join(5)  # it ends with no sample left
    assert watcher is None or not watcher.is_alive()


def test_a_new_gunicorn_worker_starts_the_read_after_its_warm_up(sample):
    """A recycled worker's first search of a name of several words must not estimate with the
    product of the words' shares (the plan it picked at 1M took 127-271 ms): the worker's
    warm-up hook starts the background read before it takes traffic."""
    from types import SimpleNamespace

    from aduan.config import gunicorn
    from aduan.config.wsgi import application

    gunicorn.post_worker_init(SimpleNamespace(wsgi=application, pid=0))
    _finish_read()
    assert search._pg_name_sample_share(["rahm", "hid"]) == pytest.approx(1 / 4)
