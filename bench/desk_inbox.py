"""Desk timings at scale: server time (request through middleware, view, template) and the
number of queries, for the first page, a deep keyset page, every filter and some combinations,
keyword searches, the counts per state, the API's list and search (the same query), the
dashboard (default period and five years) and the statistics behind the semester report.
Set BENCH_ONLY to a substring of the case names to run a part.

    ADUAN_SQLITE_PATH=var/desk-bench.sqlite3 .venv/bin/python bench/desk_inbox.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_desk_bench .venv/bin/python bench/desk_inbox.py

The database is filled by `manage.py generate_complaints` and `bench/desk_scale.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aduan.accounts.models import User  # noqa: E402
from aduan.accounts.testing import login_verified  # noqa: E402
from aduan.complaints.models import Complaint  # noqa: E402
from aduan.desk.inbox import encode_cursor  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def measure(client: Client, url: str, params: dict | None = None
            ) -> tuple[float, float, float, int, int]:
    """Median and p90 wall time, median CPU time of this process (on SQLite that includes
    the database work; it is what the request costs when the machine is not shared)."""
    for _ in range(2):  # warm caches (calendar, page cache of the database)
        client.get(url, params or {})
    times, cpu = [], []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params or {})
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    rows = response.content.count(b'class="case-link"') or response.content.count(b'"id":')
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.9) - 1], statistics.median(cpu),
            len(queries), rows)


def _stats_case(office, start: str, end: str):
    from aduan.reports.selectors import Period, complaint_statistics

    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return lambda: complaint_statistics(office, period, as_of=period.end)


def measure_call(fn) -> tuple[float, float, float, int, int]:
    fn()
    times, cpu = [], []
    for _ in range(max(RUNS // 3, 3)):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.9) - 1], statistics.median(cpu),
            len(queries), 0)


def main() -> None:
    from django.utils import timezone

    from aduan.api.services import api_token_create

    # Demo users made by generate_complaints must change their password first: not here.
    User.objects.filter(username__in=["petugas", "perizinan_a", "kadis"]).update(
        must_change_password=False, password_changed_at=timezone.now())
    officer_user = User.objects.get(username="petugas")
    officer = Client()
    login_verified(officer, officer_user)
    unit = Client()
    login_verified(unit, User.objects.get(username="perizinan_a"))
    head = Client()
    login_verified(head, User.objects.get(username="kadis"))
    api = Client(HTTP_AUTHORIZATION="Bearer " + api_token_create(user=officer_user,
                                                                 name="bench")[1])
    total = Complaint.objects.count()
    deep = Complaint.objects.order_by("-received_at", "-id")[total // 2]
    office = officer_user.office
    channel = office.channels.get(code="meja_pengaduan").pk
    service = office.service_types.order_by("pk").first().pk
    unit_a = office.units.get(code="perizinan-a").pk
    latest = Complaint.objects.order_by("-received_on").values_list("received_on", flat=True)[0]
    five_years = (f"{latest.year - 4}-01-01", f"{latest.year}-12-31")
    cases = [
        ("first page, open work (officer, the default)", officer, "/desk/", {}),
        ("first page, all states", officer, "/desk/", {"state": "all"}),
        ("first page, settled", officer, "/desk/", {"state": "settled"}),
        (f"keyset page at row {total // 2:,}", officer, "/desk/",
         {"state": "all", "after": encode_cursor(deep)}),
        ("first page (unit staff, own unit)", unit, "/desk/", {}),
        ("filter status=dispositioned", officer, "/desk/", {"status": "dispositioned"}),
        ("filter status=closed", officer, "/desk/", {"status": "closed"}),
        ("filter unit A, all states", officer, "/desk/", {"unit": unit_a, "state": "all"}),
        ("filter unit A + status=followed_up", officer, "/desk/",
         {"unit": unit_a, "status": "followed_up"}),
        ("filter channel=walk-in, all states", officer, "/desk/",
         {"channel": channel, "state": "all"}),
        ("filter channel=walk-in + date range 2024", officer, "/desk/",
         {"channel": channel, "start": "2024-01-01", "end": "2024-12-31", "state": "all"}),
        ("filter service type, all states", officer, "/desk/",
         {"service_type": service, "state": "all"}),
        ("filter service type + settled + 2023", officer, "/desk/",
         {"service_type": service, "state": "settled", "start": "2023-01-01",
          "end": "2023-12-31"}),
        ("filter date range one week 2022", officer, "/desk/",
         {"start": "2022-03-01", "end": "2022-03-07", "state": "all"}),
        ("filter overdue", officer, "/desk/", {"deadline": "overdue"}),
        ("filter overdue + unit A", officer, "/desk/", {"deadline": "overdue", "unit": unit_a}),
        ("filter overdue + channel walk-in", officer, "/desk/",
         {"deadline": "overdue", "channel": channel}),
        ("filter due within 3 working days", officer, "/desk/", {"deadline": "due_soon"}),
        ("filter overdue (unit staff)", unit, "/desk/", {"deadline": "overdue"}),
        ("search 'apotek' (common word)", officer, "/desk/", {"q": "apotek"}),
        ("search 'oss nib' (two words)", officer, "/desk/", {"q": "oss nib"}),
        ("search reporter name 'hidayat'", officer, "/desk/", {"q": "hidayat"}),
        ("search rare word 'sipa'", officer, "/desk/", {"q": "sipa"}),
        ("search full name 'rahmat hidayat'", officer, "/desk/", {"q": "rahmat hidayat"}),
        ("search full name 'siti rahmawati'", officer, "/desk/", {"q": "siti rahmawati"}),
        ("search 'apotek' + status=closed", officer, "/desk/",
         {"q": "apotek", "status": "closed"}),
        ("search 'apotek' + open work", officer, "/desk/", {"q": "apotek", "state": "open"}),
        ("search 'apotek' (unit staff)", unit, "/desk/", {"q": "apotek"}),
        ("search register number", officer, "/desk/", {"q": deep.register_number}),
        ("counts per state and status (htmx fragment)", officer, "/desk/status/", {}),
        ("counts per state (unit staff)", unit, "/desk/status/", {}),
        ("API list, 20 newest", api, "/api/v1/cases", {}),
        ("API search 'apotek'", api, "/api/v1/cases", {"q": "apotek"}),
        ("API overdue", api, "/api/v1/cases", {"overdue": "true"}),
        ("dashboard, default period (semester of the latest case)", head, "/desk/laporan/dasbor/",
         {}),
        (f"dashboard, five years {five_years[0][:4]}-{five_years[1][:4]}", head,
         "/desk/laporan/dasbor/", {"start": five_years[0], "end": five_years[1]}),
        ("dashboard chart per month, five years", head, "/desk/laporan/dasbor/grafik/month.svg",
         {"start": five_years[0], "end": five_years[1]}),
    ]
    calls = [
        ("semester statistics (complaint_statistics), one semester",
         _stats_case(office, f"{latest.year}-01-01", f"{latest.year}-06-30")),
        (f"semester statistics (complaint_statistics), {five_years[0][:4]}-"
         f"{five_years[1][:4]}", _stats_case(office, *five_years)),
    ]
    only = os.environ.get("BENCH_ONLY", "")
    print(f"{connection.vendor}, {total:,} complaints, {RUNS} runs each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| case | median ms | p90 ms | CPU ms (this process) | queries | rows |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name, client, url, params in cases:
        if only and only not in name:
            continue
        median, p90, cpu, queries, rows = measure(client, url, params)
        print(f"| {name} | {median:.1f} | {p90:.1f} | {cpu:.1f} | {queries} | {rows} |",
              flush=True)
    for name, fn in calls:
        if only and only not in name:
            continue
        median, p90, cpu, queries, _rows = measure_call(fn)
        print(f"| {name} | {median:.1f} | {p90:.1f} | {cpu:.1f} | {queries} | – |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
