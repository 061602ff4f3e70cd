"""Background work of the inbound channels (Django Tasks API)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from aduan.core.jobs import provides
from aduan.intake.adapters.lapor import LAPOR_IMPORT_JOB
from aduan.intake.services import inbound_process, inbound_sweep

logger = logging.getLogger(__name__)


@task()
def process_inbound_message(message_id: int) -> str:
    """Parse a stored inbound message into a case (or a review item)."""
    return inbound_process(message_id=message_id).parse_status


def enqueue_processing(message_id: int) -> bool:
    """Queue a stored item's processing. A queue that refuses (Redis down, a full disk) is
    logged and otherwise ignored: the item is stored, and `sweep_inbound` processes it."""
    try:
        process_inbound_message.enqueue(message_id)
    except Exception:
        logger.warning("inbound %s stored but not queued; the sweeper will process it",
                       message_id, exc_info=True)
        return False
    return True


@task()
def sweep_inbound() -> dict[str, int]:
    """Process again every inbound item left unprocessed (periodic, every channel)."""
    return inbound_sweep()


@task()
def poll_mailbox() -> dict[str, int]:
    """Read new mail from the configured IMAP mailbox (when ADUAN_IMAP_ENABLED)."""
    if not settings.ADUAN_IMAP_ENABLED:
        return {"fetched": 0, "new": 0, "duplicates": 0}
    from aduan.intake.adapters.email_imap import poll_mailbox as poll

    return asdict(poll())


@task()
def retry_media_fetches() -> dict[str, int]:
    """Fetch again the channel attachments that failed with their message (backoff)."""
    from aduan.intake.media_fetches import media_fetch_retry_due

    return media_fetch_retry_due()


@provides(LAPOR_IMPORT_JOB)
@task()
def run_lapor_import(job_id: int) -> dict[str, int]:
    """Import the rows of a SP4N-LAPOR! export in the background (progress on the job)."""
    from aduan.intake.adapters.lapor import lapor_import_run

    job = lapor_import_run(job_id)
    return {"created": job.created_count, "duplicates": job.duplicate_count,
            "errors": job.error_count}
