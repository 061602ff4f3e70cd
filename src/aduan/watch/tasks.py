"""Background jobs of the watch (Django Tasks API)."""

from django_tasks import task

from aduan.core.jobs import provides
from aduan.watch.links import LINK_JOB


@task()
def run_daily_watch() -> dict[str, int]:
    """Recompute every open application's working days; flag the newly at-risk and late
    ones and send the complaint team its digest (once a day per person; hourly runs are
    harmless)."""
    from aduan.watch.services import watch_refresh_all

    return watch_refresh_all()


@task()
def run_import(job_id: int) -> str:
    """Import a mapped CSV/XLSX file (see importers.job_run)."""
    from aduan.watch.importers import job_run
    from aduan.watch.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return job_run(job).status


@provides(LINK_JOB)
@task()
def link_new_complaint(complaint_id: int) -> int:
    """Link a new complaint to the permit applications it names (queued with its
    registration, links.py); the number of new links."""
    from aduan.watch.links import link_complaint_by_id

    return link_complaint_by_id(complaint_id)
