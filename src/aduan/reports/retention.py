"""Retention (UU 27/2022): generated report files that cover days before the office's
retention cutoff may name reporters who have since been anonymised; their files are deleted."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from aduan.offices.models import Office
from aduan.reports.models import ReportJob

logger = logging.getLogger(__name__)


def report_files_purge_expired(*, office: Office, before: dt.datetime, dry_run: bool) -> int:
    """Delete the stored files of the office's report jobs whose period starts before
    `before`; the job rows stay as the record of what was generated, and the document can be
    generated again from the (anonymised) data. Returns the files deleted (or due)."""
    jobs = ReportJob.objects.filter(office=office,
                                    period_start__lt=timezone.localdate(before)).exclude(file="")
    if dry_run:
        return jobs.count()
    deleted = 0
    for job in jobs:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.exception("retention: report file %s could not be deleted", job.file.name)
            continue
        ReportJob.objects.filter(pk=job.pk).update(file="", updated_at=timezone.now())
        deleted += 1
    return deleted
