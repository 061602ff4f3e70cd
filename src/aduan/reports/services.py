"""Write paths of the reports app: the office's report texts and report jobs."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.memberships import user_in_office
from aduan.accounts.models import User
from aduan.core import jobs
from aduan.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from aduan.offices.models import Office
from aduan.reports.demo_texts import DEMO_REPORT_TEXTS
from aduan.reports.models import JobStatus, ReportJob, ReportKind, ReportProfile
from aduan.reports.permissions import may_edit_texts, may_export_register, may_run_reports

logger = logging.getLogger(__name__)

PROFILE_TEXT_FIELDS = ("report_title", "foreword", "background", "legal_basis", "purpose",
                       "targets", "scope", "definitions", "activities", "report_intro",
                       "obstacles", "efforts", "closing", "signatory_prefix")
# Periods longer than this are refused: a report spans at most a few years.
MAX_PERIOD_DAYS = 366 * 5
REGISTER_KINDS = (ReportKind.REGISTER_XLSX, ReportKind.REGISTER_PDF)
# The job that builds one requested report; `tasks.generate_report` provides it (core/jobs.py).
GENERATE_JOB = "reports.generate_report"


def report_profile_load_demo(office: Office) -> ReportProfile:
    """Give the office the seed report's own texts, unless it already has a profile
    (idempotent: `load_demo` never overwrites texts an administrator edited)."""
    profile, _created = ReportProfile.objects.get_or_create(office=office,
                                                             defaults=DEMO_REPORT_TEXTS)
    return profile


@transaction.atomic
def report_profile_update(*, office: Office, actor: User, data: dict[str, Any]) -> ReportProfile:
    """Save the office's edited report texts. Only the team lead and the administrator edit."""
    if actor.office_id != office.pk or not may_edit_texts(actor):
        raise PermissionDenied()
    profile, _created = ReportProfile.objects.select_for_update().get_or_create(office=office)
    for name in (*PROFILE_TEXT_FIELDS, "table3_max_rows"):
        if name in data:
            setattr(profile, name, data[name])
    profile.full_clean()
    profile.save()
    return profile


def check_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None or end is None:
        raise ValidationFailed(_("Isi tanggal awal dan tanggal akhir periode (TTTT-BB-HH)."))
    if end < start:
        raise ValidationFailed(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationFailed(_("Periode laporan paling panjang 5 tahun."))
    return start, end


@transaction.atomic
def report_job_request(*, actor: User, kind: str, start: dt.date | None,
                       end: dt.date | None) -> ReportJob:
    """Queue a report; the task builds it after the transaction commits."""
    if kind not in ReportKind.values:
        raise ValidationFailed(_("Jenis laporan tidak dikenal."))
    # The register is scoped to what the actor may see, so every staff member may export it;
    # the office-wide reports are for the complaint team, the head and the administrator.
    allowed = may_export_register(actor) if kind in REGISTER_KINDS else may_run_reports(actor)
    if not allowed or actor.office_id is None:
        raise PermissionDenied()
    start, end = check_period(start, end)
    job = ReportJob.objects.create(office_id=actor.office_id, kind=kind, period_start=start,
                                   period_end=end, requested_by=actor)
    generate = jobs.job(GENERATE_JOB)
    transaction.on_commit(lambda: generate.enqueue(job.pk))
    return job


def report_job_progress(job_id: int, percent: int, step: str) -> None:
    """Record progress from the worker (its own short write, visible to the polling page)."""
    ReportJob.objects.filter(pk=job_id).update(
        progress=min(max(percent, 0), 100), step=step[:200], status=JobStatus.RUNNING)


def report_job_run(job_id: int) -> ReportJob:
    """Build the job's document and attach it; a failure is recorded, never lost."""
    from aduan.reports.generate import generate_document

    job = ReportJob.objects.select_related("office", "requested_by").get(pk=job_id)
    if job.is_finished:
        return job
    began = time.perf_counter()
    report_job_progress(job.pk, 1, _("Dimulai"))
    try:
        # The requester as they work in the job's office (a staff member may hold roles in
        # several offices): the register is scoped by what they may see THERE.
        viewer = user_in_office(job.requested_by, job.office_id)
        if viewer is None:
            raise PermissionDenied(_("Pemohon tidak lagi bekerja di kantor ini; laporan tidak "
                                     "dibuat."))
        document = generate_document(
            job.office, job.kind, job.period_start, job.period_end, viewer=viewer,
            progress=lambda p, s: report_job_progress(job.pk, p, s))
    except Exception as error:
        # Any failure ends the job visibly for the requester instead of leaving it "running".
        logger.exception("report job %s failed", job.pk)
        message = error.message if isinstance(error, ApplicationError) else _(
            "Pembuatan laporan gagal karena kesalahan sistem; silakan coba lagi atau hubungi "
            "administrator.")
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=message, finished_at=timezone.now(),
            seconds=time.perf_counter() - began)
        job.refresh_from_db()
        return job
    # The stored name carries a random prefix: reports hold personal data, and the media URL
    # must not be guessable from the period; downloads go through the access-checked view.
    stored = f"{secrets.token_urlsafe(16)}-{document.file_name}"
    job.file.save(stored, ContentFile(document.content), save=False)
    job.file_name = document.file_name
    job.rows = document.rows
    job.status = JobStatus.DONE
    job.progress = 100
    job.step = _("Selesai")
    job.finished_at = timezone.now()
    job.seconds = time.perf_counter() - began
    job.save(update_fields=["file", "file_name", "rows", "status", "progress", "step",
                            "finished_at", "seconds", "updated_at"])
    return job
