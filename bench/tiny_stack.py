"""The minimal view `GET /tiny/` through a Django project's whole stack, in process, for Aduan
and for the peer alike (issue 17): instructions, Python calls and response header bytes.

It imports nothing of Aduan, so the peer's own venv runs it against the peer's own settings and
WSGI handler (`/tmp/peer/proj`, settings from the shared harness's `peer/settings_peer.py`):

    # Aduan, the shared harness's settings (a database of your own; /tiny/ reads none of it)
    set -a; . /tmp/perf/app/var/local.env; set +a
    PYTHONPATH=src:/work/shared/bench/aduan DJANGO_SETTINGS_MODULE=aduan_bench_settings \\
    ADUAN_SQLITE_PATH=/tmp/x.sqlite3 PYTHONHASHSEED=0 \\
        .venv/bin/python bench/tiny_stack.py --headers --calls 2000 --cpu 5000
    # the peer
    cd /tmp/peer/proj && PYTHONPATH=. DJANGO_SETTINGS_MODULE=peerproj.settings PYTHONHASHSEED=0 \\
        /tmp/peer/venv/bin/python /work/main/bench/tiny_stack.py --headers --calls 2000

Instructions per request: run under callgrind with `--requests N`; the N measured requests run
inside `itertools.starmap` (its C function `starmap_next`), after `--warmup` requests and
`django.setup()` outside it, so

    valgrind --tool=callgrind --callgrind-out-file=out.cg python bench/tiny_stack.py --requests 2000
    callgrind_annotate --inclusive=yes out.cg | grep starmap_next

gives the N requests' instructions (user space: the handler, every middleware, the view, the
response's headers and body iteration; not the HTTP server, the socket or the kernel). Divide
by N. The request is the harness's wrk request: `GET /tiny/` with no cookie and no
Accept-Language.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import deque
from itertools import starmap

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


def environ() -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/tiny/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8712",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8712",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(app: WSGIHandler, env: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """What a WSGI server does with the answer: take status and headers, iterate the body,
    close it."""
    seen: list = []
    result = app(env, lambda s, h, exc_info=None: seen.append((s, h)))
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return seen[0][0], seen[0][1], body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=0, help="measured under starmap_next")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--headers", action="store_true", help="print the answer's headers")
    parser.add_argument("--calls", type=int, default=0, help="cProfile over this many requests")
    parser.add_argument("--cpu", type=int, default=0, help="process_time over this many")
    parser.add_argument("--profile", action="store_true", help="print the cProfile table")
    args = parser.parse_args()
    app = WSGIHandler()
    for _ in range(args.warmup):
        status, headers, body = call(app, environ())
        if not status.startswith("200") or body != b"ok":
            sys.exit(f"unexpected answer {status} {body[:300]!r}")
    print(f"settings {os.environ.get('DJANGO_SETTINGS_MODULE')}, Django {django.__version__}, "
          f"Python {sys.version.split()[0]}, load {os.getloadavg()}")
    if args.headers:
        status, headers, body = call(app, environ())
        # As gunicorn writes them, less its own Date, Server and Connection lines.
        raw = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        print(raw, end="")
        print(f"status line and the application's headers: {len(raw.encode())} bytes, "
              f"{len(headers)} headers")
    if args.requests:
        envs = [(app, environ()) for _ in range(args.requests)]
        deque(starmap(call, envs), maxlen=0)
        print(f"ran {args.requests} requests inside starmap_next")
    if args.calls:
        envs = [environ() for _ in range(args.calls)]
        profiler = cProfile.Profile()
        profiler.enable()
        for env in envs:
            call(app, env)
        profiler.disable()
        stats = pstats.Stats(profiler)
        print(f"Python calls per request: {stats.total_calls / args.calls:.1f} "  # type: ignore[attr-defined]
              f"({stats.prim_calls / args.calls:.1f} primitive)")  # type: ignore[attr-defined]
        if args.profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(50)
            print(out.getvalue())
    if args.cpu:
        envs = [environ() for _ in range(args.cpu)]
        start = time.process_time()
        for env in envs:
            call(app, env)
        cpu = time.process_time() - start
        print(f"CPU per request: {cpu / args.cpu * 1e6:.1f} us over {args.cpu} "
              f"(load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
