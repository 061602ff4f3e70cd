"""Background jobs of the assist app (Django Tasks API)."""

from django_tasks import task

from aduan.assist.compute import assist_case, assist_sweep
from aduan.assist.hooks import NEW_CASE_JOB
from aduan.core.jobs import provides


@provides(NEW_CASE_JOB)
@task()
def assist_new_case(complaint_id: int) -> dict[str, int]:
    """Related-case hints and suggestions for a new case (queued after its registration)."""
    return assist_case(complaint_id)


@task()
def sweep_assist() -> dict[str, int]:
    """Periodic: compute what a lost task did not; expire unanswered automatic answers."""
    return assist_sweep()
