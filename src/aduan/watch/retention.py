"""Retention of applicants' personal data (UU 27/2022), run with the reporters' anonymisation
(complaints/retention.py registers this as an expired purger): an application finished before
the office's retention cutoff loses the applicant's name and contacts, and old import files and
their rejected rows (which hold the same data) are deleted. The application stays, with its
dates and states, in the statistics."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from aduan.offices.models import Office
from aduan.watch.models import FINISHED_STATUSES, ImportJob, PermitApplication, RejectedRow

logger = logging.getLogger(__name__)
ANONYMISED = "(dianonimkan)"


def applicants_anonymise_expired(*, office: Office, before: dt.datetime, dry_run: bool) -> int:
    """Applications finished before `before` whose applicant is still named; the count."""
    cutoff = timezone.localdate(before)
    apps = (PermitApplication.objects.filter(office=office, status__in=FINISHED_STATUSES)
            .filter(Q(finished_on__lt=cutoff) | Q(finished_on__isnull=True,
                                                  updated_at__lt=before))
            .exclude(applicant_name=ANONYMISED))
    jobs = ImportJob.objects.filter(office=office, created_at__lt=before)
    if dry_run:
        return apps.count()
    count = apps.update(applicant_name=ANONYMISED, phone_encrypted="", phone_index="",
                        email_encrypted="", source_hash="", updated_at=timezone.now())
    RejectedRow.objects.filter(job__in=jobs).delete()
    for job in jobs.exclude(file=""):
        try:
            job.file.delete(save=False)
        except OSError:
            logger.exception("retention: import file %s could not be deleted", job.file.name)
            continue
        ImportJob.objects.filter(pk=job.pk).update(file="", updated_at=timezone.now())
    return count
