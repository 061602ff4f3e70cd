"""CPU time per request of the portal's hot paths, in-process (Django test client, the real
middleware, views, templates and database), so contention on a shared machine matters less
than for wall-clock throughput. Uses the same settings and database as portal_throughput.py:

    DJANGO_SETTINGS_MODULE=bench.portal_settings PYTHONPATH=src:. \\
    SECRET_KEY=bench-portal-secret-key-0123456789 ADUAN_VAR_DIR=var/portal-bench \\
    ADUAN_SQLITE_PATH=var/portal-bench.sqlite3 .venv/bin/python bench/portal_cpu.py
"""

from __future__ import annotations

import time
import uuid

import django

django.setup()

from django.test import Client  # noqa: E402

from aduan.complaints.models import Complaint  # noqa: E402
from aduan.portal.testing import form_token  # noqa: E402

N = 200


def measure(label: str, call) -> None:  # type: ignore[no-untyped-def]
    for _ in range(10):
        call()
    start = time.process_time()
    for _ in range(N):
        call()
    cpu = (time.process_time() - start) / N * 1000
    print(f"| {label} | {cpu:.2f} |")


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    code = (Complaint.objects.filter(events__is_public=True, is_secret=False)
            .order_by("pk").first().tracking_code)
    client.get("/pengaduan/kirim/")  # the CSRF cookie
    run = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))
    # Each submission its own single-use form token, as every visit gets one: a replayed token
    # registers nothing since issue 13 (it answers with the first receipt).
    data = {"name": "Pelapor Uji", "phone": "081268610005",
            "email": "pelapor@example.org", "consent": "on", "subject": "Uji", "website": ""}
    print("| request | CPU ms per request |")
    print("|---|---|")
    measure("minimal view (GET /bench/minimal/)", lambda: client.get("/bench/minimal/"))
    measure("home (GET /)", lambda: client.get("/"))
    measure("tracking (POST /lacak/)", lambda: client.post("/lacak/", {"code": code}))
    measure("submission (POST /pengaduan/kirim/)", lambda: client.post(
        "/pengaduan/kirim/", {**data, "form_token": form_token(age=60),
                              "description": f"cpu {run} {next(counter)}"}))


if __name__ == "__main__":
    main()
