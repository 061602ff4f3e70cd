"""/healthz, /readyz and /metrics: what they answer and who may read the metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from aduan.complaints.tests.factories import register_complaint
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_every_check(client, office):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "media_disk", "task_queue", "inbound",
                                   "submissions", "notifications"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["media_disk"]["free_bytes"] > 0


def test_readyz_is_unavailable_when_the_media_disk_is_full(client, office, settings):
    settings.ADUAN_READY_MIN_FREE_BYTES = 1 << 62
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["checks"]["media_disk"]["status"] == "fail"


def _stuck_inbound(office, age: dt.timedelta) -> InboundMessage:
    return InboundMessage.objects.create(
        office=office, channel_kind="whatsapp", provider="meta", provider_message_id=str(age),
        sender="+6281234567890", body="halo", raw=b"{}", parse_status=ParseStatus.RECEIVED,
        received_at=timezone.now() - age)


def test_readyz_warns_but_stays_ready_on_backlogs(client, office):
    _stuck_inbound(office, dt.timedelta(hours=2))
    _stuck_inbound(office, dt.timedelta(seconds=5))  # still within the grace period
    OutboxMessage.objects.create(template_code="received", channel="email", recipient="a@b.id",
                                 body="x", dedupe_key="k1", status=OutboxStatus.FAILED,
                                 failed_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["inbound"]["status"] == "warn"
    assert checks["inbound"]["stuck"] == 1
    assert checks["inbound"]["unprocessed"] == 2
    assert checks["inbound"]["oldest_unprocessed_seconds"] >= 7200
    assert checks["notifications"] == {"status": "warn", "critical": False,
                                       "failed_last_24h": 1}


def _metrics(client, **headers) -> dict[str, dict[tuple, float]]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    found: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_metrics_need_the_token_or_an_allowed_address(client, office, settings):
    settings.ADUAN_METRICS_TOKEN = "s3cret-token"
    settings.ADUAN_METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-token").status_code == 403
    assert client.get("/metrics",
                      HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    settings.ADUAN_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    settings.ADUAN_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="not-an-ip").status_code == 403


def test_metrics_carry_the_domain_figures(client, office, settings):
    settings.ADUAN_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    old = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)  # long past its 20 working days
    register_complaint(office, received=old)
    register_complaint(office, received=old, channel_code="website")
    register_complaint(office, received=timezone.now())
    _stuck_inbound(office, dt.timedelta(hours=1))
    OutboxMessage.objects.create(template_code="received", channel="sms", recipient="+62812",
                                 body="x", dedupe_key="k2", status=OutboxStatus.FAILED)
    figures = _metrics(client)
    received = figures["aduan_complaints_received_total"]
    assert sum(received.values()) == 3
    assert received[(("channel", "web"),)] == 1
    assert figures["aduan_complaints_overdue"][()] == 2
    assert figures["aduan_complaints_open"][()] == 3
    assert figures["aduan_notifications_failed_total"][()] == 1
    assert figures["aduan_notifications"][(("status", "failed"),)] == 1
    assert figures["aduan_inbound_stuck"][()] == 1
    assert figures["aduan_inbound"][(("state", "received"),)] == 1
    assert figures["aduan_inbound_oldest_unprocessed_age_seconds"][()] >= 3600
    assert figures["aduan_media_free_bytes"][()] > 0
    assert figures["aduan_backup_last_success_timestamp_seconds"][()] == 0
    assert "aduan_task_queue_lag_seconds" in figures
