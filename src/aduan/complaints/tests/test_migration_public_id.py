"""Migration 0004 gives every existing case its own public id, on SQLite and PostgreSQL, and
leaves the tracking codes already issued as they were."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aduan.demo.office import load_demo_office

BEFORE = [("complaints", "0003_add_anonymised_event_kind")]
AFTER = [("complaints", "0004_complaint_public_id")]


@pytest.mark.django_db(transaction=True)
def test_existing_cases_get_distinct_public_ids_and_keep_their_codes():
    office = load_demo_office()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Complaint = apps.get_model("complaints", "Complaint")
        Reporter = apps.get_model("complaints", "Reporter")
        reporter = Reporter.objects.create(name="Siti Aminah")
        day = dt.date(2025, 4, 28)
        old_codes = [f"Zq3_xK9-aB7cD{n:03d}" for n in range(25)]
        for n, code in enumerate(old_codes, start=1):
            Complaint.objects.create(
                office_id=office.pk, register_year=2025, register_sequence=n,
                register_number=f"{n}/2025", issued_on=day, tracking_code=code,
                channel_id=office.channels.order_by("pk").first().pk,
                received_at=dt.datetime(2025, 4, 28, 9, 0, tzinfo=dt.UTC), received_on=day,
                subject="Izin", description="Teks.", reporter_id=reporter.pk, due_on=day)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        rows = list(apps.get_model("complaints", "Complaint").objects
                    .values_list("tracking_code", "public_id"))
        assert sorted(code for code, _ in rows) == sorted(old_codes)
        public_ids = [public_id for _, public_id in rows]
        assert len(set(public_ids)) == 25
        assert all(re.fullmatch(r"[0-9a-f]{14}", p) for p in public_ids)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
