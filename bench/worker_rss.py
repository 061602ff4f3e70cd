"""Worker memory under a long public load: gunicorn's workers' RSS after every round of mixed
portal requests (new-case lookups, the blank form, submissions, the home page), until N
requests were answered. The target (issue 17): at most 100 MB per worker after 100,000
requests, and no growth over the last 50,000.

    BENCH_REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/worker_rss.py --requests 100000
    BENCH_REDIS_URL=... .venv/bin/python bench/worker_rss.py --requests 100000 --db postgres

The server, database and load generator are bench/portal_throughput.py's (a fresh SQLite
database, or with `--db postgres` a fresh PostgreSQL database BENCH_PG_DB, by default
aduan_portal_bench; the demo office and BENCH_LOOKUP_CASES generated cases; gunicorn with
`--preload`, one sync worker per core, wrk), with the production hooks of
aduan.config.gunicorn (warm-up, memory released and frozen before the fork; `--no-hooks`
without them). Prints one line per round and a summary table; each worker's RSS as "total
(anonymous + file)" and, after a slash, its private memory (not shared with the master or
the other worker: /proc/PID/smaps_rollup Private_Clean + Private_Dirty).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import portal_throughput as pt


def worker_rss_mb(master: int) -> list[str]:
    """Each worker's RSS in MB as "total (anon + file)": anonymous memory is the worker's own
    (SQLite's page cache included); file pages are the mapped interpreter and libraries and,
    with ADUAN_SQLITE_MMAP_MB set, SQLite's memory map of the database, the OS page cache
    shared by the workers."""
    pids = subprocess.run(["ps", "--ppid", str(master), "-o", "pid="], capture_output=True,
                          text=True, check=False).stdout.split()
    sizes = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except FileNotFoundError:
            continue
        mb = {k: round(int(fields[k].split()[0]) / 1024) for k in ("VmRSS", "RssAnon", "RssFile")}
        private = 0
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    private += int(line.split()[1])
        sizes.append(f"{mb['VmRSS']} ({mb['RssAnon']} + {mb['RssFile']}) / {round(private / 1024)}")
    return sorted(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--round-seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-hooks", action="store_true",
                        help="gunicorn without -c python:aduan.config.gunicorn")
    parser.add_argument("--keep-database", action="store_true",
                        help="reuse the previous run's database (its generated cases and the "
                             "previous rounds' submissions) instead of generating a fresh one")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    pt.check_tools([args.db])
    env = pt.env_for(args.db)
    kept = args.keep_database and (args.db == "postgres"
                                   or Path(env["ADUAN_SQLITE_PATH"]).exists())
    if not kept:
        pt.fresh_database(args.db, env)
    else:  # the kept database gets the migrations added since it was made
        pt.manage(env, "migrate", "-v0", "--skip-checks")
    hooks = () if args.no_hooks else ("-c", "python:aduan.config.gunicorn")
    server = pt.start_server(env, args.workers, hooks)
    rows = []
    try:
        pt.write_tracking_codes(env)
        csrf, token = pt.form_credentials()
        time.sleep(3.2)
        rows.append((0, "start", worker_rss_mb(server.pid)))
        print(f"start: workers {rows[-1][2]} MB", flush=True)
        modes = [
            ("track_many", {"BENCH_CSRF": csrf, "BENCH_CODES_FILE": str(pt.CODES_FILE),
                            "BENCH_THREADS": str(min(args.concurrency, 4))}),
            ("get", {"BENCH_PATH": "/pengaduan/kirim/"}),
            ("submit", {"BENCH_CSRF": csrf, "BENCH_FORM_TOKEN": token,
                        "BENCH_TOKENS_FILE": str(pt.TOKENS_FILE),
                        "BENCH_THREADS": str(min(args.concurrency, 4))}),
            ("get", {"BENCH_PATH": "/"}),
        ]
        total, i = 0, 0
        while total < args.requests:
            mode, extra = modes[i % len(modes)]
            i += 1
            if mode == "submit":
                pt.write_form_tokens(env, 600 * args.round_seconds + 1000)
                extra = {**extra, "BENCH_RUN": uuid.uuid4().hex[:8]}
            result = pt.wrk(mode, args.concurrency, args.round_seconds, extra, warmup=0)
            total += result["requests"]
            label = f"{mode} {extra.get('BENCH_PATH', '')}".strip()
            rows.append((total, label, worker_rss_mb(server.pid)))
            print(f"{total:>7} requests after {label}: {result['ok']} ok, {result['bad']} bad, "
                  f"workers {rows[-1][2]} MB", flush=True)
    finally:
        pt.stop_server(server)
    print("| requests answered | last round | worker RSS MB |")
    print("|---:|---|---|")
    for total, label, sizes in rows:
        print(f"| {total:,} | {label} | {' / '.join(str(s) for s in sizes)} |")


if __name__ == "__main__":
    main()
