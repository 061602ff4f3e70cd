"""Generate N realistic synthetic complaints in bulk (for benchmarks)."""

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aduan.complaints.figures import figures_rebuild
from aduan.demo.office import load_demo_office
from aduan.demo.synthetic import generate
from aduan.demo.users import load_demo_users
from aduan.offices.models import Office


class Command(BaseCommand):
    help = "Insert N synthetic complaints (Indonesian texts, every channel and state)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--office", help="Office code (default: the demo office).")
        parser.add_argument("--start", default="2019-01-01", help="First received date.")
        parser.add_argument("--end", default=None, help="Last received date (default: today).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] <= 0:
            raise CommandError("count must be positive")
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"no office {options['office']}")
        else:
            office = load_demo_office()
            load_demo_users(office)
        start = dt.date.fromisoformat(options["start"])
        end = dt.date.fromisoformat(options["end"]) if options["end"] else dt.date.today()  # noqa: DTZ011
        began = time.perf_counter()

        def progress(done: int) -> None:
            rate = done / max(time.perf_counter() - began, 1e-6)
            self.stdout.write(f"\r{done:,} / {options['count']:,} ({rate:,.0f}/s)", ending="")
            self.stdout.flush()

        done = generate(office, options["count"], start=start, end=end, seed=options["seed"],
                        batch_size=options["batch_size"], progress=progress)
        self.stdout.write(f"\n{done:,} complaints in {time.perf_counter() - began:.1f} s")
        # The bulk insert bypassed the services: count the office's daily figures anew.
        written = figures_rebuild(office.pk)
        self.stdout.write(f"{written:,} daily figures in {time.perf_counter() - began:.1f} s")
        if connection.vendor == "postgresql":
            # Planner statistics for the rows just loaded, as pg_restore's documentation asks
            # after a bulk load. Autovacuum would gather them within a minute or so where it is
            # on; until then (or for good where it is off, as on the benchmark machine) the
            # planner guessed from page counts: the desk's keyword search took the office's
            # index and ran to_tsvector on every case (1.18 s at 30,000 cases) instead of the
            # full-text index (23 ms), and the search's own plan choice (complaints/search.py)
            # reads the full-text indexes' word statistics, which only ANALYZE makes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"statistics (ANALYZE) in {time.perf_counter() - began:.1f} s")
