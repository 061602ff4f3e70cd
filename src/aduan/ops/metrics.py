"""Prometheus metrics: the domain figures an office's IT person alerts on, read from the
database at scrape time (so every web process answers the same, no multiprocess setup)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from aduan.ops import health


class DomainCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        from aduan.complaints.models import Complaint
        from aduan.complaints.workflow import OPEN_STATUSES
        from aduan.intake.selectors import inbound_backlog
        from aduan.notifications.models import OutboxMessage, OutboxStatus
        from aduan.ops.models import BackupSettings

        received = CounterMetricFamily(
            "aduan_complaints_received", "Complaints registered, by channel kind.",
            labels=["channel"])
        for row in (Complaint.objects.values("channel__kind").annotate(n=Count("id"))
                    .order_by("channel__kind")):
            received.add_metric([row["channel__kind"] or "unknown"], row["n"])
        yield received

        today = timezone.localdate()
        open_figures = Complaint.objects.filter(status__in=OPEN_STATUSES).aggregate(
            open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        yield GaugeMetricFamily("aduan_complaints_open", "Complaints not yet settled.",
                                value=open_figures["open"])
        yield GaugeMetricFamily("aduan_complaints_overdue",
                                "Open complaints past their due date (20 working days).",
                                value=open_figures["overdue"])

        outbox = GaugeMetricFamily("aduan_notifications", "Outbox messages by status.",
                                   labels=["status"])
        counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id"))
                      .order_by())
        for status in OutboxStatus:
            outbox.add_metric([status.value], counts.get(status.value, 0))
        yield outbox
        yield CounterMetricFamily("aduan_notifications_failed",
                                  "Outbox messages that failed for good.",
                                  value=counts.get(OutboxStatus.FAILED.value, 0))

        backlog = inbound_backlog()
        inbound = GaugeMetricFamily("aduan_inbound", "Inbound messages in an open state.",
                                    labels=["state"])
        for state, count in sorted(backlog.counts.items()):
            inbound.add_metric([state], count)
        yield inbound
        yield GaugeMetricFamily(
            "aduan_inbound_stuck",
            "Inbound messages still unprocessed after ADUAN_INBOUND_STUCK_SECONDS.",
            value=backlog.stuck)
        yield GaugeMetricFamily(
            "aduan_inbound_oldest_unprocessed_age_seconds",
            "Age of the oldest inbound message not processed yet (0 when none).",
            value=backlog.oldest_unprocessed_seconds or 0)

        from aduan.complaints.submissions import submission_backlog

        accepted = submission_backlog()
        yield GaugeMetricFamily(
            "aduan_submissions_pending",
            "Web submissions accepted and not registered yet (decision 0015).",
            value=accepted.pending)
        yield GaugeMetricFamily(
            "aduan_submissions_failed",
            "Accepted web submissions past their last registration attempt.",
            value=accepted.failed)
        yield GaugeMetricFamily(
            "aduan_submissions_oldest_pending_age_seconds",
            "Age of the oldest accepted web submission not registered yet (0 when none).",
            value=accepted.oldest_pending_seconds or 0)

        depth, lag = health.task_queue_lag()
        yield GaugeMetricFamily("aduan_task_queue_depth", "Runnable background tasks waiting.",
                                value=depth)
        yield GaugeMetricFamily("aduan_task_queue_lag_seconds",
                                "How long the oldest runnable background task has waited.",
                                value=lag)
        if health._media_on_local_disk():
            yield GaugeMetricFamily("aduan_media_free_bytes",
                                    "Free bytes on the disk holding media files.",
                                    value=health.media_free_bytes())
        last = (BackupSettings.objects.order_by("pk")
                .values_list("last_success_at", flat=True).first())
        yield GaugeMetricFamily("aduan_backup_last_success_timestamp_seconds",
                                "When the last backup succeeded (Unix time; 0 = never).",
                                value=last.timestamp() if last else 0)


def render() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DomainCollector())
    return generate_latest(registry)
