"""CPU per public request through Django's WSGI handler (every middleware, no HTTP server),
with the shared harness's settings, for the minimal view and first status lookups (issue 17).

    PYTHONPATH=src:/work/shared/bench/aduan DJANGO_SETTINGS_MODULE=aduan_bench_settings \\
    ADUAN_SQLITE_PATH=/tmp/perf/aduan100k.copy.sqlite3 \\
        .venv/bin/python bench/public_wsgi_cpu.py --requests 2000 [--profile lookup]

Requests are built as the harness's wrk script sends them: `GET /tiny/` with no cookie, and
`POST /lacak/` with the CSRF cookie and field and one of `--codes` random public tracking codes
(each code once: every lookup is a first lookup, as almost all of the harness's 20,000 are).
Reports CPU ms per request (`time.process_time`, load-independent enough to compare runs at
similar load; quote the load average). For instruction counts run it under callgrind twice
with different `--requests` and divide the difference:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null ... --requests 0 --only lookup
    valgrind --tool=callgrind --callgrind-out-file=/dev/null ... --requests 300 --only lookup
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from urllib.parse import urlencode

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402

CSRF = "bJ0bench0csrf0secret0for0public0wsgi0cpu0measure0x"  # 48+ chars, valid alphabet
CSRF = (CSRF * 2)[:32]


def environ(method: str, path: str, body: bytes = b"", cookie: str = "") -> dict:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8712",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8712",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(body))
        env["HTTP_REFERER"] = "http://127.0.0.1/lacak/"
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(app: WSGIHandler, env: dict) -> tuple[str, bytes]:
    status: list[str] = []
    result = app(env, lambda s, h, exc_info=None: status.append(s))
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return status[0], body


def public_codes(n: int, seed: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM complaints_complaint")
        top = cursor.fetchone()[0] or 0
        rng = random.Random(seed)
        ids = sorted({rng.randint(1, top) for _ in range(n * 2)})
        codes: list[str] = []
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            cursor.execute(
                "SELECT tracking_code FROM complaints_complaint WHERE is_secret = %s AND id IN ("
                + ",".join(["%s"] * len(chunk))
                + ")",
                [False, *chunk],
            )
            codes += [row[0] for row in cursor.fetchall()]
    rng.shuffle(codes)
    return codes[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--only", choices=["tiny", "lookup"], action="append")
    parser.add_argument("--profile", choices=["tiny", "lookup"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    app = WSGIHandler()
    scenarios = args.only or ["tiny", "lookup"]
    codes = public_codes(args.warmup + args.requests, args.seed) if "lookup" in scenarios else []
    if "lookup" in scenarios and len(codes) < args.warmup + args.requests:
        sys.exit(f"only {len(codes)} public codes in the database")
    cookie = f"csrftoken={CSRF}"

    def tiny(i: int) -> dict:
        return environ("GET", "/tiny/")

    def lookup(i: int) -> dict:
        body = urlencode({"csrfmiddlewaretoken": CSRF, "code": codes[i]}).encode()
        return environ("POST", "/lacak/", body, cookie)

    checks = {
        "tiny": lambda s, b: s.startswith("200") and b == b"ok",
        "lookup": lambda s, b: s.startswith("200") and b'id="case-status"' in b,
    }
    print(
        f"settings {settings.SETTINGS_MODULE}, database {settings.DATABASES['default']['NAME']}"
        f", Python {sys.version.split()[0]}, load {os.getloadavg()}"
    )
    for name in scenarios:
        make = tiny if name == "tiny" else lookup
        for i in range(args.warmup):
            status, body = call(app, make(i))
            if not checks[name](status, body):
                sys.exit(f"{name}: unexpected answer {status} {body[:300]!r}")
        envs = [make(args.warmup + i) for i in range(args.requests)]
        profiler = cProfile.Profile() if args.profile == name else None
        start = time.process_time()
        if profiler:
            profiler.enable()
        for env in envs:
            call(app, env)
        if profiler:
            profiler.disable()
        cpu = time.process_time() - start
        if args.requests:
            print(
                f"{name}: {cpu / args.requests * 1000:.3f} ms CPU per request over {args.requests}"
            )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            out.write("\n--- by own time ---\n")
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
            print(out.getvalue())


if __name__ == "__main__":
    main()
