"""The desk search's page statement per query: which name test it carries, its best execution
time on the server over N runs of EXPLAIN (ANALYZE, BUFFERS) and its shared buffers. Less moved
by a loaded machine than a request's wall time (docs/benchmarks.md, "The 1M desk, session 9").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_desk_1m N=15 \\
        .venv/bin/python bench/search_statements.py
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aduan.accounts.models import User  # noqa: E402
from aduan.desk.inbox import InboxFilters, inbox_page  # noqa: E402

SEARCHES = [("petugas", "hidayat"), ("petugas", "siti"), ("petugas", "apotek"),
            ("petugas", "zzzz"), ("petugas", "siti aminah"), ("perizinan_a", "zzzz"),
            ("petugas", "oss nib"), ("petugas", "sipa"), ("petugas", "rahmat hidayat"),
            ("petugas", "rahmat"), ("petugas", "siti rahmawati"), ("petugas", "ahmad hidayat"),
            ("petugas", "rahmat hidayat apotek"), ("petugas", "rahm hid"),
            ("petugas", "rahmat hid"), ("petugas", "ah hid"), ("petugas", "siti am"),
            ("petugas", "sit rahmaw"), ("petugas", "a s"), ("petugas", "nur lestari"),
            ("perizinan_a", "apotek"), ("perizinan_a", "hidayat")]


def name_test(sql: str) -> str:
    if "COALESCE((SELECT" in sql:
        return "per row"
    if "reporter_id = ANY(ARRAY(SELECT r.id" in sql:
        return "index plan"
    if "reporter_id IN (SELECT r.id" in sql:
        return "hash"
    return "none"


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (EXPLAIN ANALYZE's JSON)")
    runs = int(os.environ.get("N", "15"))
    print(f"{runs} runs each, load average {os.getloadavg()[0]:.1f}")
    print("| user | search | name test | best ms | shared buffers |\n|---|---|---|---:|---:|")
    for username, q in SEARCHES:
        with CaptureQueriesContext(connection) as queries:
            inbox_page(User.objects.get(username=username), InboxFilters(q=q))
        sql = [x["sql"] for x in queries.captured_queries if "LIMIT 51" in x["sql"]][-1]
        best, buffers = float("inf"), 0
        with connection.cursor() as cursor:
            for _ in range(runs):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
                best = min(best, plan["Execution Time"])
                buffers = (plan["Plan"].get("Shared Hit Blocks", 0)
                           + plan["Plan"].get("Shared Read Blocks", 0))
        print(f"| {username} | '{q}' | {name_test(sql)} | {best:.1f} | {buffers:,} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
