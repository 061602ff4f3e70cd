"""Where the desk inbox, the case page and the dashboard spend their time (issue 18): every query with its
time, the CPU time of this process per request, and a cProfile of the Python work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_casepage_reg \\
        .venv/bin/python bench/desk_profile.py [case|inbox|dashboard|both] [--queries] [--profile N]

On a database built by `bench/regency_scale.py generate N` (the officer of the biggest office,
opd-01, and its newest case with a timeline, or the newest in status BENCH_STATUS, e.g.
`received`, whose page shows the step forms; the dashboard as the office's head, default period;
`both` is the inbox and the case page). `--queries` lists the SQL of one request;
`--profile N` prints the N functions with the most own time over BENCH_RUNS requests.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
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
from aduan.offices.models import Office  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def _pages(office_code: str) -> list[tuple[str, str]]:
    office = Office.objects.get(code=office_code)
    cases = office.complaints.filter(events__isnull=False)
    if status := os.environ.get("BENCH_STATUS", ""):
        cases = cases.filter(status=status)
    case = cases.order_by("-id").first()
    assert case is not None, "no case with a timeline: run regency_scale.py generate first"
    return [("inbox", "/desk/"), ("case", f"/desk/pengaduan/{case.pk}/"),
            ("dashboard", "/desk/laporan/dasbor/")]


def main() -> None:
    args = sys.argv[1:]
    which = next((a for a in args if a in ("case", "inbox", "dashboard", "both")), "both")
    show_queries = "--queries" in args
    top = int(args[args.index("--profile") + 1]) if "--profile" in args else 0
    office_code = os.environ.get("BENCH_OFFICE", "opd-01")
    prefix = office_code.replace("opd-", "opd")
    client, head = Client(), Client()
    login_verified(client, User.objects.get(username=prefix + "_petugas"))
    print(f"{connection.vendor}, office {office_code}, {RUNS} runs, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, url in _pages(office_code):
        if which != name and (which != "both" or name == "dashboard"):
            continue
        if name == "dashboard":
            login_verified(head, User.objects.get(username=prefix + "_kadis"))
            client = head
        for _ in range(3):
            assert client.get(url).status_code == 200
        wall, cpu = [], []
        profiler = cProfile.Profile() if top else None
        for _ in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(url)
            if profiler:
                profiler.disable()
            wall.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"\n## {name} {url}: median {statistics.median(wall):.1f} ms wall, "
              f"{statistics.median(cpu):.1f} ms CPU, {len(queries)} queries "
              f"({db_ms:.1f} ms in the database, one request)")
        if show_queries:
            for q in queries.captured_queries:
                print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(top)
            stats.sort_stats("cumulative").print_stats(top)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
