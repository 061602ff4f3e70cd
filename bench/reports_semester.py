"""Benchmark: the semester report (DOCX with Diagram 1, and PDF) and the dashboard figures.

Usage (see docs/benchmarks.md, section Reports):
    ADUAN_SQLITE_PATH=var/reports-bench.sqlite3 .venv/bin/python bench/reports_semester.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_reports_bench \
        .venv/bin/python bench/reports_semester.py
Options: --start/--end (default Semester I 2025), --repeat N, --kinds docx,pdf,stats,annex.
Each measurement is one full generation (queries, chart, document); the best and median wall
time of N runs are printed, with the CPU time of this process (SQLite runs in-process; for
PostgreSQL the server's time is only in the wall time), which stays meaningful on a busy host.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from aduan.accounts.models import User
    from aduan.offices.models import Office
    from aduan.reports.generate import generate_document
    from aduan.reports.models import ReportKind
    from aduan.reports.selectors import Period, complaint_statistics, complaints_in_period

    parser = argparse.ArgumentParser()
    parser.add_argument("--start", default="2025-01-01")
    parser.add_argument("--end", default="2025-06-30")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default="docx,pdf,stats")
    parser.add_argument("--office", default="dpmptsp-bengkalis")
    args = parser.parse_args()
    start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    office = Office.objects.get(code=args.office)
    viewer = User.objects.filter(office=office, groups__name="head").first()
    count = complaints_in_period(office, Period(start, end)).count()
    print(f"database: {connection.vendor}; office {office.code}; period {start}..{end}; "
          f"{count:,} complaints in the period")
    kinds = {"docx": ReportKind.SEMESTER_DOCX, "pdf": ReportKind.SEMESTER_PDF,
             "annex": ReportKind.SEMESTER_ANNEX}
    for name in args.kinds.split(","):
        times, cpu = [], []
        size = 0
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            if name == "stats":
                complaint_statistics(office, Period(start, end), as_of=end)
            else:
                size = len(generate_document(office, kinds[name], start, end,
                                             viewer=viewer).content)
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        extra = f", {size / 1024:,.0f} KiB" if size else ""
        print(f"{name:>6}: wall best {min(times):6.2f} s, median "
              f"{statistics.median(times):6.2f} s; this process's CPU best {min(cpu):6.2f} s; "
              f"{len(times)} runs{extra}")


if __name__ == "__main__":
    main()
