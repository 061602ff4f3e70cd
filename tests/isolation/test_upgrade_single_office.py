"""The single-office upgrade path (issue 18): a deployment made before offices became tenants
(the schema of every app just before commit 3b3e539), with its office, staff, cases and
timeline, migrates to today's schema and keeps working exactly as before: its cases are
there, the numbering continues, its public pages are the default, and its staff work without
any membership row. Runs on SQLite and PostgreSQL (whichever DATABASE_URL names)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

# Every app's latest migration at 497732b, the parent of 3b3e539 (offices 0004).
BEFORE = [
    ("accounts", "0002_add_security_events_sessions_password_flags"),
    ("api", "0002_add_api_token_allowed_networks"),
    ("assist", "0003_automatic_answer_threshold_default"),
    ("audit", "0002_personal_data_kind"),
    ("complaints", "0007_daily_figures"),
    ("desk", "0002_postgres_split_slashes"),
    ("ikm", "0001_survey"),
    ("intake", "0004_lapor_import_jobs"),
    ("notifications", "0004_documents_after_disposition_templates"),
    ("offices", "0004_escalation_ladder"),
    ("ops", "0001_backup_settings"),
    ("portal", "0003_servicerating_moved_to_ikm"),
    ("reports", "0001_report_profile_and_jobs"),
    ("rights", "0002_breach_register"),
    ("triage", "0001_initial"),
    ("watch", "0001_initial"),
]
JAKARTA = dt.timezone(dt.timedelta(hours=7))
PASSWORD = "x-upgrade-pass-123"


def _old_deployment(apps) -> dict[str, int]:
    """An office of yesterday's schema with two staff, two cases and their events, written
    through the historical models (today's code does not run on that schema)."""
    Office = apps.get_model("offices", "Office")
    Unit = apps.get_model("offices", "Unit")
    Channel = apps.get_model("offices", "Channel")
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    Reporter = apps.get_model("complaints", "Reporter")
    Complaint = apps.get_model("complaints", "Complaint")
    CaseEvent = apps.get_model("complaints", "CaseEvent")
    RegisterCounter = apps.get_model("complaints", "RegisterCounter")

    office = Office.objects.create(
        code="dpmptsp-lama", name="DPMPTSP Kabupaten Lama", short_name="DPMPTSP Lama",
        government_name="PEMERINTAH KABUPATEN LAMA", city="Lama",
        register_number_pattern="500/{seq}/LAMA/{year}")
    team = Unit.objects.create(office=office, code="pengaduan", name="Pengaduan",
                               is_complaint_team=True)
    Unit.objects.create(office=office, code="perizinan", name="Perizinan")
    channel = Channel.objects.create(office=office, code="website", name="Website",
                                     kind="web")
    Channel.objects.create(office=office, code="sms_wa", name="SMS / WA", kind="whatsapp")
    officer = User.objects.create(username="petugas_lama", password=make_password(PASSWORD),
                                  office=office, unit=team, is_active=True)
    officer.groups.add(Group.objects.get_or_create(name="officer")[0])
    reporter = Reporter.objects.create(name="Pelapor Lama")
    ids = {"office": office.pk, "officer": officer.pk}
    for seq in (1, 2):
        day = dt.date(2025, 3, seq)
        at = dt.datetime(2025, 3, seq, 9, 0, tzinfo=JAKARTA)
        case = Complaint.objects.create(
            office=office, register_year=2025, register_sequence=seq,
            register_number=f"500/{seq}/LAMA/2025", issued_on=day,
            tracking_code=f"K7M2-Q9PX-4HTB-8WN{seq}", public_id=f"{seq:014x}",
            channel=channel, received_at=at, received_on=day, subject=f"Izin lama {seq}",
            description="Pengaduan dari sebelum pembaruan.", reporter=reporter,
            due_on=day + dt.timedelta(days=28))
        CaseEvent.objects.create(complaint=case, kind="received", is_public=True,
                                 body="Pengaduan diterima.", status_after="received",
                                 created_at=at)
        ids[f"case{seq}"] = case.pk
    RegisterCounter.objects.create(office=office, year=2025, last_sequence=2)
    return ids


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_single_office_deployment_upgrades_in_place_and_works_as_before():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        ids = _old_deployment(executor.loader.project_state(BEFORE).apps)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from aduan.accounts.models import Membership, User
    from aduan.accounts.roles import ensure_role_groups
    from aduan.accounts.testing import login_verified
    from aduan.complaints.models import Complaint
    from aduan.complaints.services import ReporterInput, complaint_register
    from aduan.core import refcache
    from aduan.offices.models import Office

    refcache.clear()
    ensure_role_groups()  # what post_migrate does after `migrate`
    office = Office.objects.get(pk=ids["office"])
    assert office.is_active and not office.is_central_intake and office.host == ""

    # The staff work as before: no membership row, the cases and their timeline are there.
    officer = User.objects.get(pk=ids["officer"])
    assert not Membership.objects.filter(user=officer).exists()
    desk = login_verified(Client(), officer)
    inbox = desk.get(reverse("desk:inbox"), {"state": "all"})
    assert inbox.status_code == 200
    text = inbox.content.decode()
    assert "500/1/LAMA/2025" in text and "500/2/LAMA/2025" in text
    assert "DPMPTSP Lama" in text
    case_page = desk.get(reverse("desk:complaint-detail", args=[ids["case1"]]))
    assert case_page.status_code == 200
    assert "Pengaduan diterima." in case_page.content.decode()

    # The numbering continues where it stopped.
    new = complaint_register(
        office=office, channel=office.channels.get(code="website"), subject="Izin baru",
        description="Pengaduan sesudah pembaruan.",
        reporter=ReporterInput(name="Pelapor Baru", consent=True),
        received_at=dt.datetime(2025, 3, 10, 9, 0, tzinfo=JAKARTA))
    assert (new.register_sequence, new.register_number) == (3, "500/3/LAMA/2025")
    assert Complaint.objects.filter(office=office).count() == 3

    # The public pages are the office's, at the same URLs, with no office in the path.
    public = Client()
    home = public.get("/")
    assert home.status_code == 200 and "DPMPTSP Lama" in home.content.decode()
    track = public.post(reverse("portal:track"), {"code": "K7M2-Q9PX-4HTB-8WN1"})
    assert track.status_code == 200
    assert "500/1/LAMA/2025" in track.content.decode()
