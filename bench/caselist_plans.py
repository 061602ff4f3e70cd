"""The case list's one query per inbox filter, alone: its plan and its database time.

bench/desk_inbox.py times whole pages (middleware, view, template, 8 queries) and on a loaded
machine cannot tell a plan problem from waiting for a core. This script builds, for each filter
and combination the desk offers, exactly the first-page query of `inbox_page` (the user's scope,
`case_filter`, newest first, 51 rows) and prints the plan and how long the database took:

- PostgreSQL: `EXPLAIN (ANALYZE, BUFFERS)`, the server's own "Execution Time" (median of
  BENCH_RUNS) and the buffers read; a plan that reads thousands of buffers for 51 rows is a plan
  problem on any machine, whatever the load.
- SQLite: `EXPLAIN QUERY PLAN` and the query's CPU time in this process (SQLite runs in it).

Set BENCH_VERBOSE=1 for the whole plans, BENCH_ONLY to a substring of the case names, and
BENCH_OFFICE / BENCH_UNIT to an office code and a unit code (default: the office of the user
`petugas` and its unit `perizinan-a`, as `generate_complaints` makes them; for a regency built by
bench/regency_scale.py use e.g. BENCH_OFFICE=opd-01 BENCH_UNIT=bidang-1).

    ADUAN_SQLITE_PATH=var/desk-1m.sqlite3 .venv/bin/python bench/caselist_plans.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_filters_1m .venv/bin/python bench/caselist_plans.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_regency5m BENCH_OFFICE=opd-01 \\
        BENCH_UNIT=bidang-1 .venv/bin/python bench/caselist_plans.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import BooleanField, ExpressionWrapper, Q  # noqa: E402

from aduan.accounts.models import User  # noqa: E402
from aduan.complaints.caselist import case_filter  # noqa: E402
from aduan.complaints.models import Complaint  # noqa: E402
from aduan.complaints.selectors import complaint_list_for_user  # noqa: E402
from aduan.desk.inbox import PAGE_SIZE, InboxFilters  # noqa: E402
from aduan.offices.models import Office  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
VERBOSE = bool(os.environ.get("BENCH_VERBOSE"))


def _users(office: Office, unit_code: str) -> tuple[User, User]:
    """An officer of the whole office and a staff member of one unit."""
    officer = next(u for u in User.objects.filter(office=office, is_active=True).order_by("pk")
                   if _scope_unit(u) is None)
    unit_user = next(u for u in User.objects.filter(office=office, is_active=True).order_by("pk")
                     if _scope_unit(u) == office.units.get(code=unit_code).pk)
    return officer, unit_user


def _scope_unit(user: User) -> int | None:
    from aduan.complaints.access import ALL_UNITS, visible_scope

    scope = visible_scope(user)
    if scope is None:
        return -1
    return None if scope[1] == ALL_UNITS else scope[1]


def first_page_query(user: User, params: dict[str, str]):
    """The first page's queryset exactly as desk.inbox.inbox_page builds it."""
    f = InboxFilters.from_query(params)
    qs = complaint_list_for_user(user).annotate(is_anonymised=ExpressionWrapper(
        Q(reporter__anonymised_at__isnull=False), output_field=BooleanField()))
    qs = case_filter(qs, f.case_query(user), office_id=user.office_id)
    return qs.order_by("-received_at", "-id")[: PAGE_SIZE + 1]


def cases(office: Office, unit_code: str) -> list[tuple[str, str, dict[str, str]]]:
    channel = office.channels.get(code="meja_pengaduan").pk
    service = office.service_types.order_by("pk").first().pk
    unit = office.units.get(code=unit_code).pk
    latest = office.complaints.order_by("-received_at").values_list("received_on", flat=True)[0]
    y = latest.year
    return [
        ("open work (the default)", "officer", {}),
        ("all states", "officer", {"state": "all"}),
        ("settled", "officer", {"state": "settled"}),
        ("status=dispositioned", "officer", {"status": "dispositioned"}),
        ("status=closed", "officer", {"status": "closed"}),
        ("unit, all states", "officer", {"unit": str(unit), "state": "all"}),
        ("unit, open", "officer", {"unit": str(unit)}),
        ("unit + status=followed_up", "officer", {"unit": str(unit), "status": "followed_up"}),
        ("channel walk-in, all states", "officer", {"channel": str(channel), "state": "all"}),
        ("channel walk-in, open", "officer", {"channel": str(channel)}),
        ("channel walk-in, settled", "officer", {"channel": str(channel), "state": "settled"}),
        (f"channel walk-in + {y - 2}", "officer",
         {"channel": str(channel), "start": f"{y - 2}-01-01", "end": f"{y - 2}-12-31",
          "state": "all"}),
        ("service type, all states", "officer", {"service_type": str(service), "state": "all"}),
        ("service type, open", "officer", {"service_type": str(service)}),
        ("service type, settled", "officer", {"service_type": str(service), "state": "settled"}),
        (f"service type + settled + {y - 3}", "officer",
         {"service_type": str(service), "state": "settled", "start": f"{y - 3}-01-01",
          "end": f"{y - 3}-12-31"}),
        (f"service type + settled + {y - 1}", "officer",
         {"service_type": str(service), "state": "settled", "start": f"{y - 1}-01-01",
          "end": f"{y - 1}-12-31"}),
        (f"date range one week {y - 4}", "officer",
         {"start": f"{y - 4}-03-01", "end": f"{y - 4}-03-07", "state": "all"}),
        (f"date range one week {y - 1}, settled", "officer",
         {"start": f"{y - 1}-03-01", "end": f"{y - 1}-03-07", "state": "settled"}),
        (f"status=closed + {y - 2}", "officer",
         {"status": "closed", "start": f"{y - 2}-01-01", "end": f"{y - 2}-12-31"}),
        ("overdue", "officer", {"deadline": "overdue"}),
        ("overdue + unit", "officer", {"deadline": "overdue", "unit": str(unit)}),
        ("overdue + channel walk-in", "officer", {"deadline": "overdue", "channel": str(channel)}),
        ("overdue + service type", "officer",
         {"deadline": "overdue", "service_type": str(service)}),
        ("due within 3 working days", "officer", {"deadline": "due_soon"}),
        ("due soon + channel walk-in", "officer",
         {"deadline": "due_soon", "channel": str(channel)}),
        ("unit staff: open work", "unit", {}),
        ("unit staff: all states", "unit", {"state": "all"}),
        ("unit staff: overdue", "unit", {"deadline": "overdue"}),
        ("unit staff: settled", "unit", {"state": "settled"}),
        ("unit staff: channel walk-in", "unit", {"channel": str(channel), "state": "all"}),
    ]


def _pg(sql: str, params) -> tuple[float, str, int]:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    took = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
    top = re.search(r"Buffers: shared hit=(\d+)(?: read=(\d+))?", plan)
    buffers = (int(top.group(1)) + int(top.group(2) or 0)) if top else 0
    return took, plan, buffers


def _sqlite(sql: str, params) -> tuple[float, str, int]:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(r[-1]) for r in cur.fetchall())
        began = time.process_time()
        cur.execute(sql, params)
        rows = len(cur.fetchall())
        took = (time.process_time() - began) * 1000
    return took, plan, rows


def main() -> None:
    office_code = os.environ.get("BENCH_OFFICE", "")
    office = (Office.objects.get(code=office_code) if office_code
              else User.objects.get(username="petugas").office)
    unit_code = os.environ.get("BENCH_UNIT", "perizinan-a")
    officer, unit_user = _users(office, unit_code)
    users = {"officer": officer, "unit": unit_user}
    only = os.environ.get("BENCH_ONLY", "")
    explain = _pg if connection.vendor == "postgresql" else _sqlite
    total = Complaint.objects.filter(office=office).count()
    print(f"{connection.vendor}, office {office.code} with {total:,} cases, {RUNS} runs each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    unit_label = "buffers" if connection.vendor == "postgresql" else "rows"
    print(f"| case | {'execution' if unit_label == 'buffers' else 'CPU'} ms median | "
          f"{unit_label} | plan |\n|---|---:|---:|---|")
    for name, who, params in cases(office, unit_code):
        if only and only not in name:
            continue
        qs = first_page_query(users[who], params)
        sql, sql_params = qs.query.sql_with_params()
        explain(sql, sql_params)  # warm
        runs = [explain(sql, sql_params) for _ in range(RUNS)]
        took = statistics.median(r[0] for r in runs)
        plan, size = runs[-1][1], runs[-1][2]
        indexes = sorted(set(re.findall(r"(?:USING (?:COVERING )?INDEX|using|Index Scan on) (\w+)", plan)))
        short = ", ".join(indexes) + (" + sort" if re.search(r"\bSort\b|TEMP B-TREE", plan)
                                      else "")
        print(f"| {name} | {took:.2f} | {size} | {short} |", flush=True)
        if VERBOSE:
            print(plan, "\n", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
