"""ServiceRating moved from the portal app to the ikm app without touching its table: a rating
stored before the move is the same row after it, on SQLite and PostgreSQL, and the move can be
undone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aduan.demo.office import load_demo_office

BEFORE = [("portal", "0002_rating_elements_none_or_all_nine"), ("ikm", None)]



@pytest.mark.django_db(transaction=True)
def test_ratings_survive_the_move_to_the_ikm_app():
    office = load_demo_office()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        # The state before the move: the portal's last migration with the model, and every
        # other app as it is now (ikm not at all).
        state = [BEFORE[0], *(node for node in executor.loader.graph.leaf_nodes()
                              if node[0] not in ("portal", "ikm"))]
        apps = executor.loader.project_state(state).apps
        Complaint = apps.get_model("complaints", "Complaint")
        Reporter = apps.get_model("complaints", "Reporter")
        day = dt.date(2025, 4, 28)
        complaint = Complaint.objects.create(
            office_id=office.pk, register_year=2025, register_sequence=1,
            register_number="1/2025", issued_on=day, tracking_code="ABCD-EFGH-JKMN-PQRS",
            public_id="0123456789abcd",
            channel_id=office.channels.order_by("pk").first().pk,
            received_at=dt.datetime(2025, 4, 28, 9, 0, tzinfo=dt.UTC), received_on=day,
            subject="Izin", description="Teks.",
            reporter_id=Reporter.objects.create(name="Siti").pk, due_on=day)
        old = apps.get_model("portal", "ServiceRating").objects.create(
            complaint_id=complaint.pk, score=3, comment="Cepat.",
            elements={f"u{n}": 3 for n in range(1, 10)})

        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        executor.migrate(leaves)
        apps = executor.loader.project_state(leaves).apps
        moved = apps.get_model("ikm", "ServiceRating").objects.get(pk=old.pk)
        assert (moved.complaint_id, moved.score, moved.comment) == (complaint.pk, 3, "Cepat.")
        assert apps.get_model("ikm", "ServiceRating")._meta.db_table == "portal_servicerating"
        with pytest.raises(LookupError):
            apps.get_model("portal", "ServiceRating")

        # And back: the row is the portal's again.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(state).apps
        assert apps.get_model("portal", "ServiceRating").objects.get(pk=old.pk).score == 3
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
