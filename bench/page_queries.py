"""Every query of one page, with its time, and where the CPU time of the request goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_dashboard_reg \\
        .venv/bin/python bench/page_queries.py opd01_kadis /desk/laporan/dasbor/
    DATABASE_URL=... .venv/bin/python bench/page_queries.py bench_inspektorat /desk/kabupaten/ \\
        start=2021-01-01 end=2025-12-31

Logs the user in (two-factor verified, as the tests do), requests the page twice to warm the
caches, then once more capturing its queries (time of each, sorted by time, the SQL cut to 160
characters) and once under cProfile (PROFILE=tottime or cumulative: the 30 functions first in that order
time). For the regency bench data of `bench/regency_scale.py`.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("ADUAN_DEMO_MODE", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aduan.accounts.models import User  # noqa: E402
from aduan.accounts.testing import login_verified  # noqa: E402


def main() -> None:
    username, url, *pairs = sys.argv[1:]
    params = dict(p.split("=", 1) for p in pairs)
    client = Client()
    login_verified(client, User.objects.get(username=username))
    for _ in range(2):
        assert client.get(url, params).status_code == 200
    began, began_cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    wall, cpu = (time.perf_counter() - began) * 1000, (time.process_time() - began_cpu) * 1000
    assert response.status_code == 200, response.status_code
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    print(f"{url} {params}: {wall:.1f} ms wall, {cpu:.1f} ms CPU, {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms in queries, "
          f"load average {os.getloadavg()[0]:.1f}")
    for q in queries:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:160]}")
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU time: not the waits
        profiler.enable()
        client.get(url, params)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ["PROFILE"]).print_stats(30)


if __name__ == "__main__":
    main()
