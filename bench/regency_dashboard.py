"""The regency dashboard (oversight) and the public regency statistics across many offices.

Builds (once) OFFICES offices with five units and one channel each and TOTAL cases spread
unevenly over them (office k gets a share proportional to 1/k^0.8: a few big offices, many
small ones), inserted by PostgreSQL itself (INSERT ... SELECT over generate_series, about
100,000 rows a second on an idle machine), then rebuilds the daily figures and ANALYZEs. Each
office's cases cover its own span ending today, with the density of an office of 100,000 cases
over seven years at most (about 40 a day), so a semester's daily figures per office are as many
as at that size; the last 60 days are open, and 4% of the older cases too (overdue).

Then times, in process (median of 20 after one warm-up): `regency_figures` for the default
period (the semester of the newest case) with and without the IKM, the drill-down per unit of
the biggest and of the smallest office, `regency_public_stats` for the newest year, and the
dashboard page through Django's test client (the whole request: middleware, template).

    createdb -h 127.0.0.1 -U postgres aduan_oversight_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_oversight_bench \
        .venv/bin/python bench/regency_dashboard.py 1000000 --offices 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

OPEN_DAYS = 60
PER_DAY = 40  # an office of 100,000 cases over seven years


def sizes(total: int, offices: int) -> list[int]:
    weights = [1 / (k ** 0.8) for k in range(1, offices + 1)]
    out = [int(total * w / sum(weights)) for w in weights]
    out[0] += total - sum(out)
    return out


def build(total: int, offices: int) -> None:
    from django.contrib.auth.models import Group

    from aduan.accounts.models import Role, User
    from aduan.accounts.roles import ensure_role_groups
    from aduan.complaints.figures import figures_rebuild
    from aduan.complaints.models import Reporter
    from aduan.offices.models import Channel, Office, Unit

    call_command("migrate", verbosity=0)
    if Office.objects.filter(code__startswith="opd-").count() == offices:
        print("offices exist: keeping the database as it is")
        return
    began = time.perf_counter()
    reporter = Reporter.objects.create(name="Pelapor Bench", phone="+6281200000000")
    today = timezone.localdate()
    for k, n in enumerate(sizes(total, offices), start=1):
        office = Office.objects.create(code=f"opd-{k:02d}", name=f"Perangkat Daerah {k:02d}",
                                       short_name=f"OPD {k:02d}", city="Bengkalis",
                                       government_name="PEMERINTAH KABUPATEN BENGKALIS")
        channel = Channel.objects.create(office=office, code="web", name="Web")
        units = [Unit.objects.create(office=office, code=f"u{u}", name=f"Bidang {u}").pk
                 for u in range(1, 6)]
        span = max(n // PER_DAY, 1)  # days
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO complaints_complaint (
                    created_at, updated_at, register_year, register_sequence, register_number,
                    issued_on, tracking_code, public_id, classification, received_at,
                    received_on, subject, description, location, company_name, is_by_proxy,
                    status, due_on, settled_on, working_days_taken, finding, findings_note,
                    response_text, lapor_tracking_id, is_secret, reopened_count, channel_id,
                    office_id, unit_id, reporter_id)
                SELECT now(), now(), EXTRACT(YEAR FROM d)::int, i, 'B/' || %(office)s || '/' || i,
                    d, md5(%(office)s || ':' || i), substr(md5('p' || %(office)s || ':' || i), 1, 16),
                    'complaint', d + time '09:00', d, 'Pengaduan ' || i, 'Isi', '', '', false,
                    CASE WHEN d > %(today)s::date - {OPEN_DAYS} OR i %% 25 = 0
                         THEN 'dispositioned' ELSE 'closed' END,
                    d + 28,
                    CASE WHEN d > %(today)s::date - {OPEN_DAYS} OR i %% 25 = 0 THEN NULL
                         ELSE d + (i %% 35) END,
                    CASE WHEN d > %(today)s::date - {OPEN_DAYS} OR i %% 25 = 0 THEN NULL
                         ELSE ((i %% 35) * 5 / 7) END,
                    '', '', '', '', false, 0, %(channel)s, %(office)s,
                    (ARRAY{units})[1 + i %% 5], %(reporter)s
                FROM (SELECT i, (%(today)s::date - (%(span)s - (i - 1) * %(span)s / %(n)s))::date AS d
                      FROM generate_series(1, %(n)s) AS i) AS g
            """, {"office": office.pk, "channel": channel.pk, "reporter": reporter.pk,
                  "today": today, "span": span, "n": n})
        print(f"  {office.code}: {n:,} cases over {span} days", flush=True)
    print(f"cases inserted in {time.perf_counter() - began:.0f} s", flush=True)
    began = time.perf_counter()
    written = figures_rebuild()
    print(f"{written:,} daily figures in {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ensure_role_groups()
    user = User.objects.create_user(username="pengawas-bench", password="x-bench-pass-123",
                                    office=Office.objects.get(code="opd-01"))
    user.groups.add(Group.objects.get(name=Role.OVERSIGHT.value))


def timed(label: str, fn, runs: int = 20) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    median = statistics.median(times)
    print(f"{label:<58} median {median:7.1f} ms  max {max(times):7.1f} ms", flush=True)
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("total", type=int)
    parser.add_argument("--offices", type=int, default=50)
    args = parser.parse_args()
    build(args.total, args.offices)

    from django.test import Client
    from django.test.utils import setup_test_environment

    from aduan.accounts.models import User
    from aduan.accounts.testing import login_verified
    from aduan.complaints.models import Complaint
    from aduan.offices.models import Office
    from aduan.oversight import selectors
    from aduan.reports.forms import semester_of
    from aduan.reports.selectors import Period

    cases = Complaint.objects.count()
    offices = selectors.regency_offices()
    print(f"{connection.vendor}: {cases:,} cases in {len(offices)} offices; load average "
          f"{os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    today = timezone.localdate()
    period = Period(*semester_of(selectors.regency_latest_received_on(offices) or today))
    big, small = Office.objects.get(code="opd-01"), Office.objects.get(
        code=f"opd-{args.offices:02d}")
    print(f"period {period.start} - {period.end}; biggest office "
          f"{Complaint.objects.filter(office=big).count():,} cases, smallest "
          f"{Complaint.objects.filter(office=small).count():,}")
    timed("regency_figures, default period, with IKM",
          lambda: selectors.regency_figures(period, as_of=today, offices=offices))
    timed("regency_figures, default period, counts only",
          lambda: selectors.regency_figures(period, as_of=today, offices=offices,
                                            with_ikm=False))
    timed("regency_figures, a whole year", lambda: selectors.regency_figures(
        Period(period.start.replace(month=1, day=1), period.start.replace(month=12, day=31)),
        as_of=today, offices=offices))
    timed("office_unit_figures, biggest office",
          lambda: selectors.office_unit_figures(big, period, as_of=today))
    timed("office_unit_figures, smallest office",
          lambda: selectors.office_unit_figures(small, period, as_of=today))
    timed("regency_latest_received_on (default period)",
          lambda: selectors.regency_latest_received_on(offices))
    timed("regency_public_stats, newest year",
          lambda: selectors.regency_public_stats(today.year, offices=offices))
    setup_test_environment()
    client = login_verified(Client(), User.objects.get(username="pengawas-bench"))
    timed("GET /desk/kabupaten/ (default period), whole request",
          lambda: client.get("/desk/kabupaten/"), runs=10)
    timed("GET /statistik/kabupaten/, whole request",
          lambda: Client().get("/statistik/kabupaten/"), runs=10)


if __name__ == "__main__":
    main()
