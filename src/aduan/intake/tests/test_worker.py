"""With the database task backend the webhook only stores and enqueues; the worker processes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.core.management import call_command

from aduan.complaints.models import Complaint
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.tests.conftest import fixture_bytes

SIGNATURE = "sha256=97cabc3509614ca8f4fa8e6b36c06e4d6365b386f2dca03d72d527dfefe01826"


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_webhook_answers_before_processing_and_the_db_worker_processes(client, office,
                                                                       channel_settings):
    from django_tasks_db.models import DBTaskResult

    channel_settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                          "QUEUES": ["default"]}}
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    for _ in range(5):
        response = client.post("/intake/whatsapp/", data=body, content_type="application/json",
                               headers={"X-Hub-Signature-256": SIGNATURE})
        assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.RECEIVED
    assert Complaint.objects.count() == 0
    assert DBTaskResult.objects.count() == 1  # one task for five deliveries

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)

    message.refresh_from_db()
    assert message.parse_status == ParseStatus.CREATED
    assert Complaint.objects.get().description == "Body Text"


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_deliveries_make_one_case(live_server, office, channel_settings):
    body = fixture_bytes("whatsapp", "01_inbound_text.json")
    start = threading.Barrier(5)

    def deliver(_: int) -> int:
        start.wait(timeout=30)
        with httpx.Client(base_url=live_server.url, timeout=60) as http:
            return http.post("/intake/whatsapp/", content=body, headers={
                "Content-Type": "application/json", "X-Hub-Signature-256": SIGNATURE}
            ).status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = list(pool.map(deliver, range(5)))
    assert codes == [200] * 5
    assert InboundMessage.objects.count() == 1
    assert Complaint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_messages_from_one_sender_arriving_together_make_one_case(live_server, office,
                                                                  channel_settings):
    from aduan.complaints.models import EventKind
    from aduan.intake.tests.test_whatsapp import text_payload, wa_sign

    bodies = [text_payload(f"Pesan ke-{i}", f"wamid.burst{i}") for i in range(4)]
    start = threading.Barrier(len(bodies))

    def deliver(body: bytes) -> int:
        start.wait(timeout=30)
        with httpx.Client(base_url=live_server.url, timeout=60) as http:
            return http.post("/intake/whatsapp/", content=body, headers={
                "Content-Type": "application/json", "X-Hub-Signature-256": wa_sign(body)}
            ).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        assert list(pool.map(deliver, bodies)) == [200] * len(bodies)
    complaint = Complaint.objects.get()
    assert complaint.events.filter(kind=EventKind.MESSAGE_IN).count() == len(bodies) - 1
    assert InboundMessage.objects.filter(parse_status=ParseStatus.JOINED).count() == 3
