"""Background jobs of the procedure (Django Tasks API)."""

import logging

from django_tasks import task

from aduan.complaints.notify import FOLLOW_UPS_JOB
from aduan.complaints.retention import (
    STATISTICS_JOB,
    reporters_anonymise_expired,
    statistics_refresh,
)
from aduan.complaints.services import (
    complaints_auto_close_due,
    complaints_documents_lapse,
    complaints_withdraw_expired,
)
from aduan.complaints.submissions import REGISTER_JOB, submission_register, submissions_sweep
from aduan.core import jobs
from aduan.core.jobs import provides

logger = logging.getLogger(__name__)


@task()
def run_daily_procedures() -> dict[str, int]:
    """Auto-close responded cases past their limit, withdraw expired incomplete ones, and let
    lapse the requests for documents made after disposition."""
    return {
        "auto_closed": complaints_auto_close_due(),
        "withdrawn": complaints_withdraw_expired(),
        "documents_lapsed": complaints_documents_lapse(),
    }


@task()
def anonymise_expired_reporters() -> dict[str, object]:
    """Anonymise the reporters whose retention period has ended (UU 27/2022); run daily."""
    return reporters_anonymise_expired().as_dict()


@provides(STATISTICS_JOB)
@task()
def refresh_erased_statistics() -> None:
    """Gather PostgreSQL's statistics of the tables an erasure on request rewrote again
    (complaints/retention.py `statistics_refresh`), off the officer's request."""
    statistics_refresh()


@provides(FOLLOW_UPS_JOB)
@task()
def run_follow_ups(complaint_id: int, names: list[str]) -> dict[str, object]:
    """The follow-up jobs a case event asked for (complaints/notify.py `follow_up`), one task
    for all of them: each runs on its own, so one failing does not stop the others; the task
    fails (with the names in its error) when any did."""
    results: dict[str, object] = {}
    failed = []
    for name in names:
        try:
            results[name] = jobs.job(name).call(complaint_id)
        except Exception:
            logger.exception("follow-up %s of complaint %s failed", name, complaint_id)
            failed.append(name)
    if failed:
        raise RuntimeError(f"follow-ups failed for complaint {complaint_id}: {failed}")
    return results


@provides(REGISTER_JOB)
@task()
def register_submission(key_id: int) -> int | None:
    """Register an accepted web submission (complaints/submissions.py); the new case's id, or
    None when the row was registered already (a duplicate delivery)."""
    complaint = submission_register(key_id)
    return complaint.pk if complaint is not None else None


@task()
def sweep_submissions() -> dict[str, int]:
    """Queue again the accepted web submissions left waiting (periodic)."""
    return submissions_sweep()
