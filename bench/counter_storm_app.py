"""A WSGI app whose every request is one rate count on the file cache, for
bench/counter_storm.sh (the table file truncated under running gunicorn workers)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings

settings.configure(CACHES={"default": {"BACKEND": "aduan.core.filecache.FileCache",
                                       "LOCATION": os.environ["STORM_CACHE"]}},
                   ADUAN_RATE_LIMITS={"track_code": (10**9, 3600)})
django.setup()

from aduan.core.ratelimit import rate_count  # noqa: E402

_requests = itertools.count()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    rate_count("track_code", f"{os.getpid()}-{next(_requests) % 5000}")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
