"""Portal throughput: web submission and tracking under concurrent load, beside a minimal
Django view served by the same gunicorn, on SQLite and PostgreSQL.

    .venv/bin/python bench/portal_throughput.py --db sqlite --db postgres --seconds 15

For each database: a fresh database with the demo office, gunicorn on a free port of 127.0.0.1
(sync workers), then wrk at c=8 and c=32 against /bench/minimal/, POST /lacak/ (a real case
with a public timeline, looked up again and again; then a different case on every lookup, from
30,000 generated ones, so no process has its page memoised) and POST /pengaduan/kirim/ (the real form: CSRF, form-age challenge,
honeypot, validation, registration with a gapless number, RECEIVED event and outbox row).
Afterwards every submitted row is verified in the database: one complaint per 302 answer
(plus at most the requests in flight when wrk stopped), each description unique, register
sequence of the office's year gapless (all rows), each with its reporter, RECEIVED event and outbox message.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
# BENCH_PG_DB: helpers sharing one PostgreSQL server each name their own database.
PG_DB = os.environ.get("BENCH_PG_DB", "aduan_portal_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
LOOKUP_CASES = int(os.environ.get("BENCH_LOOKUP_CASES", "30000"))
CODES_FILE = ROOT / "var" / "portal-bench-codes.txt"
TOKENS_FILE = ROOT / "var" / "portal-bench-tokens.txt"
# Throw-away keys made for this run, in the shapes production demands (config/keys.py: a
# SECRET_KEY of 64 characters, a Fernet key for NIKs); every subprocess gets the same ones.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48)
FIELD_KEY = os.environ.get("BENCH_FIELD_KEY") or base64.urlsafe_b64encode(
    secrets.token_bytes(32)).decode()


def check_tools(dbs: list[str]) -> None:
    """Fail early, saying what to install, when a tool the run needs is missing."""
    problems = []
    if shutil.which("wrk") is None:
        problems.append("wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu) or "
                        "build it from https://github.com/wg/wrk")
    if not (VENV / "gunicorn").exists():
        problems.append(f"{VENV / 'gunicorn'} is missing: run `make install` first")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means the same advice
        problems.append(f"Redis at {redis_url} is not reachable ({exc}): start one "
                        "(`sudo apt-get install redis-server`) or set BENCH_REDIS_URL")
    if "postgres" in dbs and shutil.which("psql") is None:
        problems.append("psql is not installed (needed for --db postgres): "
                        "`sudo apt-get install postgresql-client`, or use --db sqlite")
    if problems:
        print("portal_throughput: cannot run:\n- " + "\n- ".join(problems), file=sys.stderr)
        raise SystemExit(2)


def env_for(db: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.portal_settings",
           "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "SECRET_KEY": SECRET_KEY,
           "FIELD_ENCRYPTION_KEYS": FIELD_KEY, "ADUAN_PUBLIC_URL": f"http://127.0.0.1:{PORT}",
           "ADUAN_VAR_DIR": str(ROOT / "var" / "portal-bench"), "TASK_BACKEND": "db",
           "MEDIA_ROOT": str(ROOT / "var" / "portal-bench" / "media")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["ADUAN_SQLITE_PATH"] = str(ROOT / "var" / "portal-bench.sqlite3")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([str(VENV / "python"), str(ROOT / "manage.py"), *args], env=env,
                          check=True, capture_output=True, text=True, cwd=ROOT).stdout


def fresh_database(db: str, env: dict[str, str]) -> None:
    if db == "postgres":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                        f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                        f"CREATE DATABASE {PG_DB}"], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(env["ADUAN_SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    shutil.rmtree(env["ADUAN_VAR_DIR"], ignore_errors=True)
    manage(env, "migrate", "-v0", "--skip-checks")
    manage(env, "collectstatic", "--noinput", "-v0")  # hashed static names (manifest)
    manage(env, "load_demo", "--skip-checks")
    # Enough cases that every lookup of the "first lookup" rows is of a case not seen before.
    manage(env, "generate_complaints", str(LOOKUP_CASES), "--start", "2025-01-01",
           "--end", "2025-12-31", "--skip-checks")


def start_server(env: dict[str, str], workers: int,
                 options: tuple[str, ...] = ()) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "bench.portal_wsgi", "--preload", "--bind",
         f"127.0.0.1:{PORT}", "--workers", str(workers), "--worker-class", "sync",
         "--backlog", "2048", "--timeout", "120", "--log-level", "warning", *options],
        env=env, cwd=ROOT, start_new_session=True)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/bench/minimal/", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def write_form_tokens(env: dict[str, str], count: int) -> None:
    """Single-use form tokens (portal/throttle.py), one per submission, as the form would have
    given them a minute ago: a replayed token registers nothing (it shows the first receipt),
    so every request of the load needs its own, like every real visit gets one."""
    script = f"""
import django; django.setup()
from aduan.portal.testing import form_token
for path, n in (({str(TOKENS_FILE)!r}, {count}), ({str(TOKENS_FILE) + ".warmup"!r}, 20000)):
    with open(path, "w") as out:
        for _ in range(n):
            out.write(form_token(age=60) + "\\n")
"""
    subprocess.run([str(VENV / "python"), "-c", script], env=env, cwd=ROOT, check=True)


def form_credentials() -> tuple[str, str]:
    """A real browser's first visit: the CSRF cookie and the signed form-age token."""
    response = httpx.get(f"http://127.0.0.1:{PORT}/pengaduan/kirim/")
    response.raise_for_status()
    csrf = response.cookies["csrftoken"]
    token = re.search(r'name="form_token" value="([^"]+)"', response.text).group(1)
    return csrf, token


def wrk(mode: str, concurrency: int, seconds: int, extra: dict[str, str],
        warmup: int = 3) -> dict:
    """One measured wrk run, after an unrecorded warm-up run (templates compiled and
    connections opened in every worker, as on a server that has been up for a while)."""
    env = {**os.environ, "BENCH_MODE": mode, **extra}
    if warmup:
        subprocess.run(["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{warmup}s",
                        "--timeout", "30s", "-s", str(ROOT / "bench" / "portal_load.lua"),
                        f"http://127.0.0.1:{PORT}"], env={**env, "BENCH_RUN": "warmup", **(
                           {"BENCH_TOKENS_FILE": extra["BENCH_TOKENS_FILE"] + ".warmup"}
                           if "BENCH_TOKENS_FILE" in extra else {})},
                       check=True, capture_output=True)
        time.sleep(5)  # let requests in flight at the end of the warm-up finish
    out = subprocess.run(
        ["wrk", "-t", str(min(concurrency, 4)), "-c", str(concurrency), "-d", f"{seconds}s",
         "--timeout", "30s", "-s", str(ROOT / "bench" / "portal_load.lua"),
         f"http://127.0.0.1:{PORT}"], env=env, check=True, capture_output=True, text=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["ok"] / result["seconds"]
    return result


def verify_submissions(env: dict[str, str], run: str, answered: int, concurrency: int) -> str:
    """Check every row written by one submission run; returns a short verdict."""
    script = f"""
import django; django.setup()
from django.db.models import Count
from aduan.complaints.models import Complaint, EventKind
from aduan.notifications.models import OutboxMessage
qs = Complaint.objects.filter(description__startswith="bench {run} ")
rows = qs.count()
unique = qs.values("description").distinct().count()
# The register's invariant: every number of the year issued once, none skipped.
# (Numbers are per office and year: the demo has several offices.)
first = qs.values("register_year", "office_id").first()
seqs = sorted(Complaint.objects.filter(
    register_year=first["register_year"], office_id=first["office_id"]).values_list(
    "register_sequence", flat=True))
gapless = seqs == list(range(1, len(seqs) + 1))
events = qs.filter(events__kind=EventKind.RECEIVED).count()
reporters = qs.filter(reporter__name="Pelapor Uji").count()
outbox = OutboxMessage.objects.filter(complaint__in=qs).values("complaint").distinct().count()
import json
print(json.dumps({{"rows": rows, "unique": unique, "gapless": gapless, "events": events,
                  "reporters": reporters, "outbox": outbox}}))
"""
    out = subprocess.run([str(VENV / "python"), "-c", script], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    facts = json.loads(out)
    ok = (answered <= facts["rows"] <= answered + concurrency
          and facts["rows"] == facts["unique"] == facts["events"] == facts["reporters"]
          == facts["outbox"] and facts["gapless"])
    return ("verified" if ok else f"FAILED {facts}") + f" ({facts['rows']} rows)"


def write_tracking_codes(env: dict[str, str]) -> int:
    """Every public tracking code, shuffled, one per line, for the `track_many` rows."""
    script = f"""
import django, random; django.setup()
from aduan.complaints.models import Complaint
codes = list(Complaint.objects.filter(is_secret=False).values_list("tracking_code", flat=True))
random.Random(7).shuffle(codes)
open({str(CODES_FILE)!r}, "w").write("\\n".join(codes) + "\\n")
print(len(codes))
"""
    return int(subprocess.run([str(VENV / "python"), "-c", script], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.split()[-1])


def tracking_code(env: dict[str, str]) -> str:
    """A demo case with a public timeline (received, answered) to look up."""
    script = """
import django; django.setup()
from aduan.complaints.models import Complaint
c = Complaint.objects.filter(events__is_public=True, is_secret=False).annotate(
    n=__import__("django.db.models", fromlist=["Count"]).Count("events")).order_by("-n").first()
print(c.tracking_code)
"""
    return subprocess.run([str(VENV / "python"), "-c", script], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="gunicorn sync workers (default: one per core)")
    parser.add_argument("--concurrency", type=int, action="append")
    parser.add_argument("--only", choices=["minimal", "track", "track_many", "submit"],
                        action="append", help="measure only these rows (default: all)")
    args = parser.parse_args()
    check_tools(args.db or ["sqlite", "postgres"])
    rows = []
    for db in args.db or ["sqlite", "postgres"]:
        env = env_for(db)
        fresh_database(db, env)
        server = start_server(env, args.workers)
        try:
            code = tracking_code(env)
            codes = write_tracking_codes(env)
            csrf, token = form_credentials()
            time.sleep(3.2)  # the form-age challenge: a person takes a few seconds
            for c in args.concurrency or [8, 32]:
                only = set(args.only or ["minimal", "track", "track_many", "submit"])
                minimal = wrk("get", c, args.seconds, {})
                rows.append((db, c, "minimal view", minimal, ""))
                if "track" in only:
                    track = wrk("track", c, args.seconds,
                                {"BENCH_CSRF": csrf, "BENCH_CODE": code})
                    rows.append((db, c, "tracking, same case again (POST /lacak/)", track,
                                 f"{track['rps'] / minimal['rps']:.0%} of minimal"))
                if "track_many" in only:
                    # No warm-up: it would spend codes; each thread walks its own share once.
                    first = wrk("track_many", c, args.seconds, {
                        "BENCH_CSRF": csrf, "BENCH_CODES_FILE": str(CODES_FILE),
                        "BENCH_THREADS": str(min(c, 4))}, warmup=0)
                    rows.append((db, c, "tracking, a new case each time (POST /lacak/)", first,
                                 f"{first['rps'] / minimal['rps']:.0%} of minimal"
                                 + ("" if first["requests"] <= codes else " (codes reused!)")))
                if "submit" in only:
                    run = uuid.uuid4().hex[:8]
                    write_form_tokens(env, 400 * args.seconds + 20000)
                    submit = wrk("submit", c, args.seconds, {
                        "BENCH_CSRF": csrf, "BENCH_FORM_TOKEN": token, "BENCH_RUN": run,
                        "BENCH_TOKENS_FILE": str(TOKENS_FILE),
                        "BENCH_THREADS": str(min(c, 4))})
                    rows.append((db, c, "submission (POST /pengaduan/kirim/)", submit,
                                 verify_submissions(env, run, submit["ok"], c)))
                for r in rows[-4:]:
                    print(r, file=sys.stderr, flush=True)
        finally:
            stop_server(server)
    print("| database | c | endpoint | req/s | errors | p50 ms | p99 ms | check |")
    print("|---|---|---|---|---|---|---|---|")
    for db, c, name, r, check in rows:
        errors = r["bad"] + r["socket_errors"]
        print(f"| {db} | {c} | {name} | {r['rps']:.0f} | {errors} | {r['p50_ms']:.1f} | "
              f"{r['p99_ms']:.1f} | {check} |")


if __name__ == "__main__":
    main()
