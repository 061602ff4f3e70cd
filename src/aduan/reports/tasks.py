"""Background generation of reports (Django Tasks API)."""

from django_tasks import task

from aduan.core.jobs import provides
from aduan.reports.services import GENERATE_JOB, report_job_run


@provides(GENERATE_JOB)
@task()
def generate_report(job_id: int) -> str:
    """Build one requested report; progress and the result are stored on the ReportJob."""
    return report_job_run(job_id).status
