"""Statements per request on PostgreSQL, counted by the server (pg_stat_database's committed
transactions: in autocommit every statement outside a transaction is one, Django's health check
`SELECT 1` included), not by Django (which does not see the health check).

On the database `bench/portal_throughput.py --db postgres` made (same BENCH_PG_DB), it starts
gunicorn (2 sync workers) as that script does, or uses a server whose URL is given:

    BENCH_PG_DB=aduan_portal_bench .venv/bin/python bench/pg_round_trips.py [http://HOST:PORT]

It looks up one public case 200 times (its page memoised after the first) and a fresh case
200 times, through 2 keep-alive clients, and prints committed transactions per request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

DB = os.environ.get("BENCH_PG_DB", "aduan_portal_bench")
N = 200


def commits() -> int:
    time.sleep(11)  # an idle backend reports its counts after at most 10 s
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-At", "-c",
         "SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database "
         f"WHERE datname = '{DB}'"], check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def codes(n: int) -> list[str]:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-At", "-c",
         "SELECT tracking_code FROM complaints_complaint WHERE NOT is_secret "
         f"ORDER BY random() LIMIT {n + 1}"], check=True, capture_output=True, text=True).stdout
    return out.split()


def main() -> None:
    if len(sys.argv) < 2:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from bench import portal_throughput as harness

        env = harness.env_for("postgres")
        harness.manage(env, "collectstatic", "--noinput", "-v0")
        server = harness.start_server(env, 2)
        try:
            run(f"http://127.0.0.1:{harness.PORT}")
        finally:
            harness.stop_server(server)
    else:
        run(sys.argv[1])


def run(url: str) -> None:
    base = url.rstrip("/")
    client = httpx.Client(base_url=base, timeout=60)
    form = client.get("/lacak/")
    csrf = client.cookies["csrftoken"]
    del form
    sample = codes(N)
    for label, seq in (("same case again (memoised)", [sample[0]] * N),
                       ("a different case each time", sample[1:])):
        client.post("/lacak/", data={"code": seq[0], "csrfmiddlewaretoken": csrf})
        before = commits()
        for code in seq:
            response = client.post("/lacak/", data={"code": code, "csrfmiddlewaretoken": csrf})
            assert response.status_code == 200, response.status_code
            assert re.search("Nomor", response.text)
        after = commits()
        print(f"| {label} | {(after - before - 1) / len(seq):.2f} |")  # -1: psql's own


if __name__ == "__main__":
    main()
