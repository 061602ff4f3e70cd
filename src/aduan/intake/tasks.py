"""Background work of the inbound channels (Django Tasks API)."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from aduan.intake.services import inbound_process


@task()
def process_inbound_message(message_id: int) -> str:
    """Parse a stored inbound message into a case (or a review item)."""
    return inbound_process(message_id=message_id).parse_status


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
