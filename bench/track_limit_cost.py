"""The cost of the /lacak/ per-address limit (portal.throttle.hit) per lookup, in process:
N addresses, each counted twice, after 50 warm-up counts. Under callgrind or strace -c,
`none` (the same set-up, no counts) is the baseline to subtract:

    BENCH_CACHE=file|redis [BENCH_REDIS_URL=redis://127.0.0.1:6379/4] N=300 PYTHONPATH=src \\
      valgrind --tool=callgrind .venv/bin/python bench/track_limit_cost.py hit|none

`file` is core.filecache.FileCache in a fresh directory (the cache without Redis), `redis` the
ResilientRedisCache (what production uses with Redis); the settings are the test settings'.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings_test")

import django
from django.conf import settings

django.setup()

if os.environ.get("BENCH_CACHE", "file") == "redis":
    settings.CACHES = {"default": {
        "BACKEND": "aduan.core.cache.ResilientRedisCache",
        "LOCATION": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": f"bench-track-limit-{os.getpid()}"}}
else:
    settings.CACHES = {"default": {"BACKEND": "aduan.core.filecache.FileCache",
                                   "LOCATION": tempfile.mkdtemp(prefix="track-limit-")}}

from django.test import RequestFactory  # noqa: E402

from aduan.portal import throttle  # noqa: E402

N = int(os.environ.get("N", "2000"))


def main() -> None:
    factory = RequestFactory()
    requests = [factory.post("/lacak/", REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}."
                             f"{i % 256}") for i in range(N + 50)]
    for request in requests[N:]:
        throttle.hit("track", request)
    mode = sys.argv[1] if len(sys.argv) > 1 else "hit"
    start = time.process_time()
    if mode == "hit":
        for request in requests[:N]:
            throttle.hit("track", request)
            throttle.hit("track", request)
    cpu = time.process_time() - start
    print(f"{mode}: {cpu / (2 * N) * 1e6:.1f} us CPU per count, load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
