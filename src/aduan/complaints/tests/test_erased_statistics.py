"""An erasure leaves no erased value in PostgreSQL's statistics nor in a process's memo of them
(complaints/search.py erased_statistics_refresh; SPEC §6, UU 27/2022: the erasure must not leave
the name anywhere). Before: the name stayed among the name index's most common words (every
process's search estimates read them, memoised for 600 s) and in the name column's histogram
until autovacuum analysed the table again, after 10 % of it had changed."""

from __future__ import annotations

import pytest
from django.db import connection

from aduan.complaints import retention, search
from aduan.complaints.models import Reporter
from aduan.complaints.retention import reporter_anonymise_on_request

# Committed rows: ANALYZE and the on-commit refresh see no test transaction's rows.
pytestmark = pytest.mark.django_db(transaction=True)


def _tables() -> list[str]:
    return ["complaints_reporter", "complaints_complaint", "complaints_caseevent",
            search._NAME_WORD_TABLE]


def _statistics_text() -> str:
    """Every value pg_stats holds of the tables an erasure rewrites, as one lower-case text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text, histogram_bounds::text, most_common_elems::text "
            "FROM pg_stats WHERE schemaname = current_schema() AND tablename = ANY(%s)",
            [[*_tables(), "desk_reporter_name_fts"]])
        return " ".join(str(value) for row in cursor.fetchall() for value in row).lower()


@pytest.fixture
def analysed(pg_name_memos):
    erased = Reporter.objects.create(name="Wisanggeni Hidayat", email="wisanggeni@example.org")
    Reporter.objects.bulk_create([Reporter(name=f"Warga{i} Biasa", email=f"w{i}@example.org")
                                  for i in range(150)])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(_tables())}")
    assert "wisanggeni" in _statistics_text()
    assert search._pg_name_share(["wisang"]) > 0  # memoised by the process
    return erased


def test_an_erasure_on_request_leaves_no_value_in_the_statistics(analysed):
    reporter_anonymise_on_request(reporter_id=analysed.pk, reason={"request": "test"})
    assert "wisanggeni" not in _statistics_text()


def test_a_process_drops_its_memo_of_the_statistics_on_the_new_version(analysed, monkeypatch):
    monkeypatch.setattr(search, "NAME_VERSION_SECONDS", 0.0)
    search.name_sample_load()  # a process that holds a sample checks the names' version
    reporter_anonymise_on_request(reporter_id=analysed.pk, reason={"request": "test"})
    search._pg_name_sample()  # a search's use of the sample sees the new version
    assert search._pg_name_share(["wisang"]) == 0
    thread = search._NAME_SAMPLE_THREADS.get(connection.alias)
    if thread is not None:
        thread.join(30)


def test_a_failed_gathering_does_not_fail_the_committed_erasure(analysed, monkeypatch):
    """The erasure has committed when the statistics are gathered: a failure there is logged
    (before: the on-commit callback's error was the fulfilling request's 500)."""
    monkeypatch.setattr(retention, "_purged_tables", {"no_such_table"})
    reporter_anonymise_on_request(reporter_id=analysed.pk, reason={"request": "test"})
    analysed.refresh_from_db()
    assert analysed.anonymised_at is not None and analysed.name == ""
    assert Reporter.objects.count() == 151  # the connection still answers


def test_the_tables_of_every_case_purger_are_gathered_again(monkeypatch):
    """The apps' purgers name the models they rewrite (the outbox's recipients, inbound
    messages' senders, data requests' and ratings' texts): their statistics are gathered too."""
    asked: list[list[str]] = []
    monkeypatch.setattr(retention, "erased_statistics_refresh", asked.append)
    retention.statistics_refresh()
    assert {"complaints_reporter", "complaints_complaint", "complaints_caseevent",
            "notifications_outboxmessage", "intake_inboundmessage", "intake_conversation",
            "rights_datarequest", "portal_servicerating"} <= set(asked[0])


def test_the_officer_does_not_wait_for_the_gathering(analysed, settings):
    """With the task queue in the database, the erasure queues the gathering for the worker,
    in its own transaction (it commits with the erasure), instead of running ANALYZE in the
    officer's request; the worker's run then leaves no value behind."""
    from django_tasks_db.models import DBTaskResult

    from aduan.core import jobs

    settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    reporter_anonymise_on_request(reporter_id=analysed.pk, reason={"request": "test"})
    queued = [row for row in DBTaskResult.objects.all()
              if row.task_path.endswith("refresh_erased_statistics")]
    assert len(queued) == 1
    assert "wisanggeni" in _statistics_text()  # not gathered in the request
    jobs.job(retention.STATISTICS_JOB).call()  # what the worker runs
    assert "wisanggeni" not in _statistics_text()
