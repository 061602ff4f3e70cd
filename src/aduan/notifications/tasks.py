"""Background jobs of the outbox (Django Tasks API; database or RQ backend)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from aduan.core.jobs import provides
from aduan.notifications import conf, services


@provides(services.DELIVER_JOB)
@task()
def deliver_outbox_message(message_id: int) -> str:
    """Send one outbox message; safe to run twice (the claim is a conditional UPDATE)."""
    return services.outbox_deliver(message_id).outcome


@task()
def sweep_outbox() -> dict[str, int]:
    """Re-queue due and interrupted messages (periodic; see settings.ADUAN_PERIODIC_TASKS)."""
    return services.outbox_sweep()


@task()
def send_deadline_reminders() -> int:
    """Remind the complaint team of cases near or past their deadline, and escalate to the
    unit holding them and, once overdue, the head of office (the office's ladder); once a day
    per case and person, from the start of the working day (run hourly; later runs of the day
    add nothing). A central intake's team also gets one digest a day of the cases near or past
    LAPOR!'s 3-working-day routing limit."""
    if timezone.localtime().hour < conf.reminder_hour():
        return 0
    return (services.reminders_queue() + services.escalations_queue()
            + services.routing_reminders_queue())
