"""EXPLAIN (ANALYZE, BUFFERS) of the desk's keyword-search page query (complaints/search.py) for
a user of the biggest office and of a small one: which plan the search picks and what it costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_regency5m \\
        .venv/bin/python bench/search_plans.py [word ...]

Read-only (EXPLAIN ANALYZE of SELECTs). Prints, per office and word, the plan chosen
(walk the inbox index or index then sort), the estimate query's time, and the plan.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.config.settings")
os.environ.setdefault("ADUAN_DEMO_MODE", "1")

import django

django.setup()

from django.db import connection  # noqa: E402

from aduan.complaints import search  # noqa: E402
from aduan.complaints.caselist import CaseQuery, State, case_filter  # noqa: E402
from aduan.complaints.models import Complaint  # noqa: E402
from aduan.offices.models import Office  # noqa: E402

WORDS = sys.argv[1:] or ["izin", "apotek", "hidayat", "sipa"]


def main() -> None:
    force = os.environ.get("SEARCH_FORCE", "")  # "walk" or "index" to compare both plans
    if force:
        search.FORCE_COMMON = force == "walk"
    offices = [Office.objects.get(code="opd-01"), Office.objects.get(code="opd-40")]
    print(f"{Complaint.objects.count():,} complaints, load average {os.getloadavg()[0]:.1f}")
    for office in offices:
        for word in WORDS:
            for by_name in (True, False):
                qs = Complaint.objects.filter(office_id=office.pk)
                start = time.process_time()
                t0 = time.perf_counter()
                common = search.FORCE_COMMON if force else search._pg_is_common(search.search_terms(word), by_name=by_name,
                                              office_id=office.pk)
                est_ms = (time.perf_counter() - t0) * 1000
                qs = case_filter(qs, CaseQuery(state=State.ALL, q=word, search_names=by_name),
                                 office_id=office.pk)
                sql, params = qs.order_by("-received_at", "-id")[:51].query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    plan = [r[0] for r in cursor.fetchall()]
                print(f"{'' if not os.environ.get('PLANS') else chr(10)}{office.code} ({qs.model.objects.filter(office=office).count():,}"
                      f" cases) '{word}' by_name={by_name}: "
                      f"{'walk' if common else 'index+sort'}; estimate {est_ms:.1f} ms "
                      f"(CPU {1000 * (time.process_time() - start):.1f} ms); "
                      f"{plan[-1]}")
                if os.environ.get("PLANS"):
                    print("\n".join(plan))


if __name__ == "__main__":
    main()
