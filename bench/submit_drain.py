"""How fast the worker registers accepted web submissions (decision 0015): N submissions are
accepted through the portal in process (the Django test client, as bench/submit_profile.py),
then one real `db_worker --batch` process drains their task rows and exits. Prints the
registrations per second between the first and the last case's creation (the worker's
start-up left out), the worker's CPU per registration (its process time), and checks that
every accepted row became exactly one case. The worker also runs the other tasks waiting in the
queue (each new case's receipt delivery and follow-up jobs come after the registrations, which
were all queued first), so its wall and CPU totals are the whole drain's. `--in-process` runs the
registration tasks in this process instead (as db_worker calls them, without its claim and
result bookkeeping) and prints their CPU per registration. Same settings and database as
bench/submit_profile.py (database task queue):

    DJANGO_SETTINGS_MODULE=bench.portal_settings PYTHONPATH=src:. TASK_BACKEND=db \\
    SECRET_KEY=bench-portal-secret-key-0123456789 ADUAN_VAR_DIR=var/portal-bench \\
    ADUAN_SQLITE_PATH=var/portal-bench.sqlite3 .venv/bin/python bench/submit_drain.py [--n 500]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from aduan.complaints.models import Complaint, SubmissionKey  # noqa: E402
from aduan.portal.testing import form_token  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/pengaduan/kirim/")
    csrf = client.cookies["csrftoken"].value
    first_key = (SubmissionKey.objects.order_by("-pk").values_list("pk", flat=True).first()
                 or 0)
    for n in range(args.n):
        body = urlencode({
            "csrfmiddlewaretoken": csrf, "form_token": form_token(age=60),
            "name": "siti Kota Bandung", "phone": f"08126861{n % 10000:04d}",
            "email": f"siti.drain{n}@gmail.com", "subject": "Syarat perpanjangan SIP bidan",
            "description": f"Dokumen apa saja yang perlu disiapkan? ({n})", "consent": "on",
            "website": ""})
        response = client.post("/pengaduan/kirim/", body,
                               content_type="application/x-www-form-urlencoded",
                               HTTP_REFERER="http://127.0.0.1/pengaduan/kirim/")
        assert response.status_code == 302, response.status_code
    keys = SubmissionKey.objects.filter(pk__gt=first_key)
    assert keys.count() == args.n and not keys.filter(complaint__isnull=False).exists()
    if args.in_process:
        in_process(args.n, first_key)
        return
    connection.close()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch",
                    "--no-startup-delay", "--skip-checks"], env=os.environ, check=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    linked = list(keys.values_list("complaint_id", flat=True))
    assert None not in linked and len(set(linked)) == args.n, "a row not registered once"
    times = sorted(Complaint.objects.filter(pk__in=linked).values_list("created_at", flat=True))
    span = (times[-1] - times[0]).total_seconds()
    print(f"accepted {args.n}; db_worker --batch drained the queue in {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU (start-up, deliveries and follow-up jobs included)")
    print(f"first to last registration: {span:.2f} s = "
          f"{(args.n - 1) / span:.0f} registrations per second")


def in_process(n: int, first_key: int) -> None:
    from django_tasks_db.models import DBTaskResult

    from aduan.complaints.tasks import register_submission

    ids = list(SubmissionKey.objects.filter(pk__gt=first_key).values_list("pk", flat=True))
    start = time.process_time()
    for key_id in ids:
        assert register_submission.call(key_id) is not None
    cpu = (time.process_time() - start) / n * 1000
    again = time.process_time()
    for key_id in ids:  # duplicate deliveries: each finds its row linked
        assert register_submission.call(key_id) is None
    duplicate = (time.process_time() - again) / n * 1000
    DBTaskResult.objects.filter(task_path="aduan.complaints.tasks.register_submission",
                                status="READY", args_kwargs__args__0__in=ids).delete()
    print(f"in process: {cpu:.2f} ms CPU per registration over {n}; a duplicate delivery "
          f"{duplicate:.2f} ms")


if __name__ == "__main__":
    main()
