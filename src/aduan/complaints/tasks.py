"""Background jobs of the procedure (Django Tasks API)."""

from django_tasks import task

from aduan.complaints.retention import reporters_anonymise_expired
from aduan.complaints.services import (
    complaints_auto_close_due,
    complaints_documents_lapse,
    complaints_withdraw_expired,
)


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
