"""Worker memory under a long load: gunicorn's workers' RSS after every round of requests, until
N requests were answered. The target (issue 17): at most 100 MB per worker after 100,000
requests, and no growth over the last 50,000.

The rounds cycle through every request the shared harness (../shared/bench/aduan) sends, plus
the portal home page: new-case lookups, the blank form, submissions (each POST with its own
fresh single-use form token, answered 302 after the accepted row is written, decision 0015),
the home page, the minimal view through the whole stack, the desk inbox and the desk keyword
search (as the demo complaint officer, a session with the second factor verified); each cycle
at the next concurrency of `--concurrency` (by default 8 then 32, the harness's two).
`--mix portal` keeps session 8's public-only rounds (lookups, form, submissions, home page).

    BENCH_REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/worker_rss.py --requests 100000
    BENCH_REDIS_URL=... BENCH_PG_DB=aduan_mine .venv/bin/python bench/worker_rss.py \
        --requests 100000 --db postgres

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

import httpx

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


SEARCH_WORD = "perpanjangan"  # the shared harness's desk search


def staff_cookie(env: dict[str, str]) -> str:
    """The Cookie header of a signed-in demo complaint officer (password and second factor
    done, as accounts.testing.login_verified marks it), for the desk's rounds."""
    script = """
import django; django.setup()
from django.conf import settings
from django.test import Client
from aduan.accounts.models import User
from aduan.accounts.testing import login_verified
user = User.objects.get(username="petugas")
User.objects.filter(pk=user.pk).update(must_change_password=False)
client = login_verified(Client(), user)
print(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
"""
    cookie = subprocess.run([str(pt.VENV / "python"), "-c", script], env=env, cwd=pt.ROOT,
                            check=True, capture_output=True, text=True).stdout.split()[-1]
    answer = httpx.get(f"http://127.0.0.1:{pt.PORT}/desk/?q={SEARCH_WORD}",
                       headers={"Cookie": cookie}, timeout=60)
    if answer.status_code != 200 or "case-link" not in answer.text:
        raise RuntimeError(f"the staff session does not open the desk ({answer.status_code})")
    return cookie


def accepted_rows(env: dict[str, str]) -> str:
    """The web submissions' accepted rows (decision 0015) and how many are still to register
    (no task worker runs here: registration is the worker's, not the web's)."""
    script = """
import django; django.setup()
from aduan.complaints.models import SubmissionKey
web = SubmissionKey.objects.filter(scope="web")
print(web.count(), web.filter(complaint__isnull=True).count())
"""
    rows, pending = subprocess.run([str(pt.VENV / "python"), "-c", script], env=env,
                                   cwd=pt.ROOT, check=True, capture_output=True,
                                   text=True).stdout.split()[-2:]
    return f"web submissions accepted in the database: {int(rows):,} ({int(pending):,} pending)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--round-seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, action="append",
                        help="wrk connections; repeat to alternate per cycle (default 8 and 32)")
    parser.add_argument("--mix", choices=["harness", "portal"], default="harness",
                        help="harness: every request of the shared harness plus the home page "
                             "(default); portal: session 8's public rounds only")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-hooks", action="store_true",
                        help="gunicorn without -c python:aduan.config.gunicorn")
    parser.add_argument("--keep-database", action="store_true",
                        help="reuse the previous run's database (its generated cases and the "
                             "previous rounds' submissions) instead of generating a fresh one")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    concurrencies = args.concurrency or [8, 32]
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
        desk = staff_cookie(env) if args.mix == "harness" else ""
        modes = [
            ("track_many", {"BENCH_CSRF": csrf, "BENCH_CODES_FILE": str(pt.CODES_FILE)}),
            ("get", {"BENCH_PATH": "/pengaduan/kirim/"}),
            ("submit", {"BENCH_CSRF": csrf, "BENCH_FORM_TOKEN": token,
                        "BENCH_TOKENS_FILE": str(pt.TOKENS_FILE)}),
            ("get", {"BENCH_PATH": "/"}),
        ]
        if args.mix == "harness":
            modes += [
                ("get", {"BENCH_PATH": "/bench/minimal/"}),
                ("get", {"BENCH_PATH": "/desk/", "BENCH_COOKIE": desk}),
                ("get", {"BENCH_PATH": f"/desk/?q={SEARCH_WORD}", "BENCH_COOKIE": desk}),
            ]
        total, i, submitted = 0, 0, 0
        while total < args.requests:
            mode, extra = modes[i % len(modes)]
            concurrency = concurrencies[(i // len(modes)) % len(concurrencies)]
            i += 1
            # wrk's threads: min(c, 4); the lookups' codes and the tokens are split among them
            extra = {**extra, "BENCH_THREADS": str(min(concurrency, 4))}
            if mode == "submit":
                pt.write_form_tokens(env, 600 * args.round_seconds + 1000)
                extra = {**extra, "BENCH_RUN": uuid.uuid4().hex[:8]}
            result = pt.wrk(mode, concurrency, args.round_seconds, extra, warmup=0)
            total += result["requests"]
            if mode == "submit":
                submitted += result["ok"]
            label = f"{mode} {extra.get('BENCH_PATH', '')} c={concurrency}".replace("  ", " ")
            rows.append((total, label, worker_rss_mb(server.pid)))
            print(f"{total:>7} requests after {label}: {result['ok']} ok, {result['bad']} bad, "
                  f"workers {rows[-1][2]} MB", flush=True)
        print(f"submissions answered 302: {submitted:,}; {accepted_rows(env)}", flush=True)
    finally:
        pt.stop_server(server)
    print("| requests answered | last round | worker RSS MB |")
    print("|---:|---|---|")
    for total, label, sizes in rows:
        print(f"| {total:,} | {label} | {' / '.join(str(s) for s in sizes)} |")


if __name__ == "__main__":
    main()
