"""Where a public submission's time goes, in process (Django test client through the WSGI
handler: the real middleware, form, services and database; no HTTP). Each submission carries
its own single-use form token, as every visit gets one. Prints CPU per submission
(time.process_time), the SQL statements of one submission as Django runs them, and with
`--profile` the cumulative cProfile of N submissions. Same settings and database as
bench/portal_cpu.py:

    DJANGO_SETTINGS_MODULE=bench.portal_settings PYTHONPATH=src:. \\
    SECRET_KEY=bench-portal-secret-key-0123456789 ADUAN_VAR_DIR=var/portal-bench \\
    ADUAN_SQLITE_PATH=var/portal-bench.sqlite3 .venv/bin/python bench/submit_profile.py \\
    [--n 200] [--profile] [--sql] [--service-type]

Instructions (repeatable under load): run it under callgrind with collection off until the
measured loop, which `--callgrind` switches on and off around itself (callgrind_control):

    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/submit_profile.py \
        --callgrind --n 50        # "Collected" / 50 = instructions per submission
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import subprocess
import time
import uuid
from itertools import count
from urllib.parse import urlencode

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aduan.portal.testing import form_token  # noqa: E402


def _callgrind(state: str) -> None:
    subprocess.run(
        ["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True
    )
    time.sleep(1)  # the request is picked up at callgrind's next check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print one submission's statements")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="switch callgrind's collection on for the measured loop only",
    )
    parser.add_argument(
        "--service-type",
        action="store_true",
        help="choose the form's first permit type, as the shared harness's wrk script does "
        "(without it the field is left empty)",
    )
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get("/pengaduan/kirim/").content.decode()  # the CSRF cookie
    service_type = ""
    if args.service_type:
        select = re.search(r'<select name="service_type".*?</select>', page, re.S)
        service_type = re.findall(r'<option value="(\d+)"', select.group(0))[0]  # type: ignore[union-attr]
    run = uuid.uuid4().hex[:8]
    numbers = count()
    csrf = client.cookies["csrftoken"].value

    def submit() -> None:
        # The body the shared harness's wrk script posts (urlencoded, as a browser does).
        n = next(numbers)
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "form_token": form_token(age=60),
                "name": "siti Kota Bandung",
                "nik": "",
                "address": "",
                "occupation": "",
                "phone": f"08126861{n % 10000:04d}",
                "email": f"siti.{n}@gmail.com",
                "company_name": "",
                "service_type": service_type,
                "subject": "Syarat perpanjangan SIP bidan bagaimana?",
                "description": "Selamat pagi, saya siti dari Kota Bandung. Saya ingin memperpanjang "
                "SIP bidan yang akan habis bulan depan. Dokumen apa saja yang perlu "
                f"disiapkan dan berapa lama prosesnya? Nomor registrasi lama REG/{n}"
                f"/2024 ({run}). Terima kasih.",
                "consent": "on",
                "website": "",
            }
        )
        response = client.post(
            "/pengaduan/kirim/",
            body,
            content_type="application/x-www-form-urlencoded",
            HTTP_REFERER="http://127.0.0.1/pengaduan/kirim/",
        )
        assert response.status_code == 302, response.status_code

    for _ in range(10):
        submit()
    with CaptureQueriesContext(connection) as queries:
        submit()
    print(f"statements per submission (Django's count): {len(queries.captured_queries)}")
    if args.sql:
        for query in queries.captured_queries:
            print("  ", query["sql"][:160])
    if args.callgrind:
        _callgrind("on")
    start = time.process_time()
    for _ in range(args.n):
        submit()
    cpu = (time.process_time() - start) / args.n * 1000
    if args.callgrind:
        _callgrind("off")
    print(f"CPU per submission: {cpu:.2f} ms over {args.n}")
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: load-independent shares
        profile.enable()
        for _ in range(args.n):
            submit()
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
