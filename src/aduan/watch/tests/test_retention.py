"""Applicants' personal data ends with the office's retention period, with the reporters'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aduan.complaints.retention import reporters_anonymise_expired
from aduan.watch.models import ImportJob, PermitApplication, RejectedRow
from aduan.watch.tests.conftest import app_row


@pytest.mark.django_db
def test_finished_applications_past_retention_lose_the_applicants_data(office, make_apps):
    today = timezone.localdate()
    old = today.replace(year=today.year - office.retention_years - 1)
    make_apps(app_row("OLD-1", complete_on=old, submitted_on=old, status="Selesai",
                      finished_on=old + dt.timedelta(days=10)),
              app_row("NEW-1", complete_on=today - dt.timedelta(days=20)))
    job = ImportJob.objects.create(office=office, original_name="lama.csv", file_kind="csv")
    RejectedRow.objects.create(job=job, row_number=2, values={"applicant_name": "Budi"})
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=365 * (office.retention_years + 1)))
    assert reporters_anonymise_expired(dry_run=True).as_dict()
    run = reporters_anonymise_expired()
    assert "permit_applicants" in str(run.as_dict())
    gone = PermitApplication.objects.get(number="OLD-1")
    assert (gone.applicant_name, gone.phone, gone.email, gone.phone_index) == (
        "(dianonimkan)", "", "", "")
    assert gone.state == "done" and gone.used_days is not None  # statistics stay
    kept = PermitApplication.objects.get(number="NEW-1")
    assert kept.phone == "+6281268610077"
    assert not RejectedRow.objects.exists()
