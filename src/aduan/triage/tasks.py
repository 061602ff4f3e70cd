"""Background jobs of triage (Django Tasks API): retraining, scheduled and on demand."""

from __future__ import annotations

from django_tasks import task

from aduan.offices.models import Office
from aduan.triage.services import retrain_due, train_office_model


@task()
def retrain_office_model(office_id: int) -> str:
    """Train and activate a new model of one office now (the admin's button)."""
    office = Office.objects.get(pk=office_id)
    return str(train_office_model(office).version)


@task()
def retrain_triage_models() -> dict[str, str]:
    """Periodic: retrain each active office whose model is missing or out of date."""
    return retrain_due()
