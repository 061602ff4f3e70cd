"""REST and Open311 timings at scale: server time and queries per request, through Django's
full stack (middleware, token check, rate limiter, view, JSON/XML rendering).

    ADUAN_SQLITE_PATH=var/api-bench.sqlite3 .venv/bin/python bench/api_endpoints.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_api_bench .venv/bin/python bench/api_endpoints.py

Fill the database first: `manage.py migrate && manage.py generate_complaints 100000`.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aduan.accounts.models import User  # noqa: E402
from aduan.api.routers.cases import _encode_cursor  # noqa: E402
from aduan.api.services import api_token_create  # noqa: E402
from aduan.complaints.models import Complaint  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
settings.ADUAN_API_RATE_LIMITS = dict.fromkeys(
    ("submit", "track", "track_code", "reporter_action", "reporter_action_code", "staff",
     "open311_post", "open311_read"), (10**9, 60))


def measure(client: Client, url: str, headers: dict[str, str]) -> tuple[float, float, int, int]:
    for _ in range(2):
        client.get(url, **headers)
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], len(queries), len(
        response.content)


def main() -> None:
    client = Client()
    total = Complaint.objects.count()
    officer = User.objects.get(username="petugas")
    unit_staff = User.objects.get(username="perizinan_a")
    _t, officer_token = api_token_create(user=officer, name="bench")
    _t, unit_token = api_token_create(user=unit_staff, name="bench")
    off = {"HTTP_AUTHORIZATION": f"Bearer {officer_token}"}
    unit = {"HTTP_AUTHORIZATION": f"Bearer {unit_token}"}
    ordered = Complaint.objects.order_by("-received_at", "-id")
    deep = ordered[int(total * 0.9)]
    sample = ordered.filter(is_secret=False)[total // 2]
    cases = [
        ("GET /cases (officer, 20)", "/api/v1/cases", off),
        ("GET /cases (officer, 100)", "/api/v1/cases?limit=100", off),
        ("GET /cases deep keyset page (90 %)", f"/api/v1/cases?cursor={_encode_cursor(deep)}",
         off),
        ("GET /cases?state=open&unit=perizinan-a", "/api/v1/cases?state=open&unit=perizinan-a",
         off),
        ("GET /cases (unit staff)", "/api/v1/cases", unit),
        ("GET /cases?overdue=true", "/api/v1/cases?overdue=true", off),
        ("GET /cases?q=izin apotek", "/api/v1/cases?q=izin%20apotek", off),
        ("GET /cases/{id}", f"/api/v1/cases/{sample.pk}", off),
        ("GET /complaints/{tracking_code}", f"/api/v1/complaints/{sample.tracking_code}", {}),
        ("Open311 GET requests.json (90 days, ≤1000)", "/api/open311/v2/requests.json", {}),
        ("Open311 GET requests.xml (90 days, ≤1000)", "/api/open311/v2/requests.xml", {}),
        ("Open311 GET requests.json?status=open", "/api/open311/v2/requests.json?status=open",
         {}),
        ("Open311 GET requests/{id}.json",
         f"/api/open311/v2/requests/{sample.public_id}.json", {}),
        ("Open311 GET services.xml", "/api/open311/v2/services.xml", {}),
    ]
    print(f"{connection.vendor}, {total:,} complaints, {RUNS} runs each")
    print("| request | median ms | p90 ms | queries | bytes |")
    print("|---|---|---|---|---|")
    for label, url, headers in cases:
        median, p90, queries, size = measure(client, url, headers)
        print(f"| {label} | {median:.1f} | {p90:.1f} | {queries} | {size:,} |")


if __name__ == "__main__":
    main()
