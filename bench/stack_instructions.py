"""Instructions per public request under callgrind, without the start-up (issue 17).

The measured loops run inside C functions of itertools whose inclusive cost callgrind reports:
`GET /tiny/` (no cookie) inside `starmap_next`, first status lookups `POST /lacak/` inside
`filterfalse_next`, and (an optional third argument) repeated lookups of cases the page memo
holds (the last 50 looked up, each again) inside `map_next`; django.setup() and the warm-up
requests are outside them. Requests are those of bench/public_wsgi_cpu.py (the harness's wrk
script), so it needs the harness's settings and a database with public cases:

    PYTHONPATH=src:/work/shared/bench/aduan DJANGO_SETTINGS_MODULE=aduan_bench_settings \\
    ADUAN_SQLITE_PATH=/tmp/x.sqlite3 PYTHONHASHSEED=0 nice -n 10 valgrind --tool=callgrind \\
        --callgrind-out-file=out.cg .venv/bin/python bench/stack_instructions.py 500 100 [100]
    callgrind_annotate --inclusive=yes out.cg | grep -E 'starmap_next|filterfalse_next|map_next'

Divide starmap_next's cost by the first argument, filterfalse_next's by the second, map_next's
by the third.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from functools import partial
from itertools import filterfalse, starmap
from pathlib import Path
from urllib.parse import urlencode

import django

django.setup()
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from public_wsgi_cpu import CSRF, call, environ, public_codes  # noqa: E402

WARMUP = 100


def main() -> None:
    n_tiny, n_lookup = int(sys.argv[1]), int(sys.argv[2])
    n_repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    app = WSGIHandler()
    codes = public_codes(WARMUP + n_lookup, 1)
    cookie = f"csrftoken={CSRF}"

    def lookup(i: int) -> dict:
        body = urlencode({"csrfmiddlewaretoken": CSRF, "code": codes[i]}).encode()
        return environ("POST", "/lacak/", body, cookie)

    for i in range(WARMUP):
        status, body = call(app, environ("GET", "/tiny/"))
        assert status.startswith("200") and body == b"ok", status
        status, body = call(app, lookup(i))
        assert status.startswith("200") and b'id="case-status"' in body, status
    # As config/wsgi.py leaves a worker: what is loaded is in the permanent generation, so a
    # collection in the measured loops walks only what requests leave (a full collection of
    # the whole heap in one loop and not in another was 2-3 % of a lookup apart).
    gc.collect()
    gc.freeze()
    tiny = [(app, environ("GET", "/tiny/")) for _ in range(n_tiny)]
    lookups = [lookup(WARMUP + i) for i in range(n_lookup)]
    # The last 50 cases looked up: the page memo (about 125 pages) still holds them.
    last = WARMUP + n_lookup - 1
    repeats = [lookup(last - i % 50) for i in range(n_repeat)]
    deque(starmap(call, tiny), maxlen=0)
    deque(filterfalse(lambda env: call(app, env) and False, lookups), maxlen=0)
    deque(map(partial(call, app), repeats), maxlen=0)
    print("done", n_tiny, n_lookup, n_repeat, os.getloadavg())


if __name__ == "__main__":
    main()
