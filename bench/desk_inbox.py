"""Inbox timings at scale: server time (request through middleware, view, template) and the
number of queries, for the first page, a deep keyset page, filtered pages and keyword searches.

    ADUAN_SQLITE_PATH=var/desk-bench.sqlite3 .venv/bin/python bench/desk_inbox.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_desk_bench .venv/bin/python bench/desk_inbox.py

The database is filled by `manage.py generate_complaints` and `bench/desk_scale.py`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.core.cache import cache  # noqa: E402
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
    rows = response.content.count(b'class="case-link"')
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.9) - 1], statistics.median(cpu),
            len(queries), rows)


def main() -> None:
    officer = Client()
    login_verified(officer, User.objects.get(username="petugas"))
    unit = Client()
    login_verified(unit, User.objects.get(username="perizinan_a"))
    total = Complaint.objects.count()
    deep = Complaint.objects.order_by("-received_at", "-id")[500_000]
    office = User.objects.get(username="petugas").office
    channel = office.channels.get(code="meja_pengaduan").pk
    cases = [
        ("first page (officer)", officer, "/desk/", {}),
        ("keyset page at row 500,000", officer, "/desk/", {"after": encode_cursor(deep)}),
        ("first page (unit staff, own unit)", unit, "/desk/", {}),
        ("filter status=dispositioned", officer, "/desk/", {"status": "dispositioned"}),
        ("filter channel=walk-in + date range 2024", officer, "/desk/",
         {"channel": channel, "start": "2024-01-01", "end": "2024-12-31"}),
        ("filter overdue", officer, "/desk/", {"deadline": "overdue"}),
        ("filter due within 3 working days", officer, "/desk/", {"deadline": "due_soon"}),
        ("search 'apotek' (common word)", officer, "/desk/", {"q": "apotek"}),
        ("search 'oss nib' (two words)", officer, "/desk/", {"q": "oss nib"}),
        ("search reporter name 'hidayat'", officer, "/desk/", {"q": "hidayat"}),
        ("search rare word 'sipa'", officer, "/desk/", {"q": "sipa"}),
        ("search 'apotek' (unit staff)", unit, "/desk/", {"q": "apotek"}),
        ("search register number", officer, "/desk/", {"q": deep.register_number}),
    ]
    print(f"{connection.vendor}, {total:,} complaints, {RUNS} runs each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| case | median ms | p90 ms | CPU ms (this process) | queries | rows |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name, client, url, params in cases:
        median, p90, cpu, queries, rows = measure(client, url, params)
        print(f"| {name} | {median:.1f} | {p90:.1f} | {cpu:.1f} | {queries} | {rows} |",
              flush=True)
    cache.clear()
    began = time.perf_counter()
    officer.get("/desk/status/")
    cold = (time.perf_counter() - began) * 1000
    median, p90, cpu, queries, _rows = measure(officer, "/desk/status/")
    print(f"| status counts (htmx fragment), uncached | {cold:.1f} | – | – | – | – |")
    print(f"| status counts, cached 60 s | {median:.1f} | {p90:.1f} | {cpu:.1f} | {queries} | – |")


if __name__ == "__main__":
    main()
