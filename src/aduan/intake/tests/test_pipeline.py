"""Store first, parse second, per item: a bad item of a batch is quarantined and the others go
on; storage failure asks the provider to retry; a lost task is swept; our receipt time dates
the case; the backlog selector counts what waits."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError
from django.utils import timezone

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.intake import selectors, services, tasks
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.tests.conftest import fixture_bytes
from aduan.intake.tests.test_whatsapp import post
from aduan.offices.models import Office

URL = "/intake/whatsapp/"


def batch(*messages: object, contacts: object = None) -> bytes:
    """One WhatsApp POST carrying `messages` in one change (the sample's shape)."""
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"] = list(messages)
    if contacts is not None:
        value["contacts"] = contacts
    return json.dumps(payload).encode()


def text(wamid: str, body: object = "Jalan rusak", sender: str = "6281234567890",
         **extra: object) -> dict[str, object]:
    return {"from": sender, "id": wamid, "timestamp": "1697043223", "type": "text",
            "text": {"body": body}, **extra}


BAD_ITEMS = [
    pytest.param({"from": "6281200000001", "id": "wamid.bad", "type": "text",
                  "text": "a string, not an object"}, id="text-is-string"),
    pytest.param(["a", "list"], id="message-is-list"),
    pytest.param({"from": "6281200000001", "id": "wamid.bad", "type": "text",
                  "text": {"body": None}}, id="body-null"),
    pytest.param({"from": {"x": 1}, "id": "wamid.bad", "type": "text",
                  "text": {"body": "x"}}, id="from-is-object"),
    pytest.param("just a string", id="message-is-string"),
    pytest.param(None, id="message-is-null"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_ITEMS)
def test_a_bad_item_is_quarantined_and_the_rest_of_the_batch_processed(client, office,
                                                                       channel_settings, bad):
    body = batch(text("wamid.ok1", "Pesan pertama", sender="6281211110001"), bad,
                 text("wamid.ok2", "Pesan kedua", sender="6281211110002"))
    assert post(client, body).status_code == 200
    good = InboundMessage.objects.filter(provider_message_id__in=["wamid.ok1", "wamid.ok2"])
    assert sorted(good.values_list("parse_status", flat=True)) == ["created", "created"]
    assert Complaint.objects.count() == 2
    others = InboundMessage.objects.exclude(pk__in=good)
    if bad == {"from": "6281200000001", "id": "wamid.bad", "type": "text",
               "text": {"body": None}}:
        # A null body is an empty text message: not quarantined, but nothing to register.
        assert others.get().parse_status == ParseStatus.NEEDS_REVIEW
        return
    quarantined = others.get()
    assert quarantined.parse_status == ParseStatus.QUARANTINED
    assert quarantined.error
    assert json.loads(bytes(quarantined.raw))["message"] == bad
    # Meta retries the same batch: nothing new is stored, nothing registered twice.
    assert post(client, body).status_code == 200
    assert InboundMessage.objects.count() == 3
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_a_profile_that_is_a_string_does_not_stop_the_message(client, office, channel_settings):
    body = batch(text("wamid.p1"), contacts=[{"wa_id": "6281234567890", "profile": "Siti"}])
    assert post(client, body).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.CREATED
    assert message.sender_name == ""


@pytest.mark.django_db
def test_quarantined_items_are_shown_to_officers_and_can_be_retried(client, office, officer,
                                                                    channel_settings):
    assert post(client, batch(text("wamid.q", {"nested": "object"}))).status_code == 200
    item = InboundMessage.objects.get()
    assert item.parse_status == ParseStatus.QUARANTINED
    login_verified(client, officer)
    page = client.get("/desk/saluran/").content.decode()
    assert "Dikarantina" in page
    assert f"/desk/saluran/{item.pk}/ulang/" in page
    # The officer cannot fix the payload; a retry reads it again and quarantines it again.
    response = client.post(f"/desk/saluran/{item.pk}/ulang/", {"next": "list"})
    assert response.status_code == 302
    assert response["Location"] == "/desk/saluran/"
    item.refresh_from_db()
    assert item.parse_status == ParseStatus.QUARANTINED
    assert item.data["retries"][0]["status"] == "quarantined"


@pytest.mark.django_db
def test_storage_failure_answers_503_so_the_provider_retries(client, office, channel_settings,
                                                             monkeypatch):
    body = batch(text("wamid.s1"))

    def refuse(**_kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(InboundMessage.objects, "get_or_create", refuse)
    response = post(client, body)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert InboundMessage.objects.count() == 0
    monkeypatch.undo()
    assert post(client, body).status_code == 200
    assert InboundMessage.objects.get().parse_status == ParseStatus.CREATED


@pytest.mark.django_db
def test_enqueue_failure_still_answers_200_and_the_sweeper_processes(client, office,
                                                                     channel_settings,
                                                                     monkeypatch):
    class Refusing:
        def enqueue(self, *_args: object) -> None:
            raise ConnectionError("redis down")

    monkeypatch.setattr(tasks, "process_inbound_message", Refusing())
    assert post(client, batch(text("wamid.e1"))).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.RECEIVED
    assert message.parsed_at is None
    # Not stuck yet: the sweeper leaves young rows to their worker.
    assert services.inbound_sweep()["swept"] == 0
    InboundMessage.objects.update(received_at=timezone.now() - dt.timedelta(minutes=5))
    assert selectors.inbound_backlog().stuck == 1
    assert services.inbound_sweep() == {"swept": 1, "processed": 1, "waiting": 0}
    message.refresh_from_db()
    assert message.parse_status == ParseStatus.CREATED
    # A second sweep (or a late task) makes no second case.
    assert services.inbound_sweep(older_than=dt.timedelta(0))["swept"] == 0
    assert services.inbound_process(message_id=message.pk).complaint_id == message.complaint_id
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_unexpected_failure_is_failed_and_retried_by_the_sweeper(client, office,
                                                                 channel_settings, monkeypatch):
    calls = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseError("connection lost")
        return original(*args, **kwargs)

    original = services._register
    monkeypatch.setattr(services, "_register", flaky)
    assert post(client, batch(text("wamid.f1"))).status_code == 200
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.FAILED
    assert message.attempts == 1
    assert "connection lost" in message.error
    backlog = selectors.inbound_backlog()
    assert backlog.counts["failed"] == 1
    assert backlog.unprocessed == 1
    assert backlog.oldest_unprocessed_seconds is not None
    assert services.inbound_sweep(older_than=dt.timedelta(0))["processed"] == 1
    message.refresh_from_db()
    assert message.parse_status == ParseStatus.CREATED
    assert message.error == ""
    assert "connection lost" in message.data["failures"][0]


@pytest.mark.django_db
def test_case_is_dated_by_our_receipt_not_the_provider_timestamp(client, office,
                                                                  channel_settings):
    # The sample says 2023-10-11; a forged or delayed timestamp must not back-date the case.
    before = timezone.now()
    assert post(client, batch(text("wamid.t1"))).status_code == 200
    message = InboundMessage.objects.get()
    assert message.provider_sent_at == dt.datetime(2023, 10, 11, 16, 53, 43, tzinfo=dt.UTC)
    assert message.received_at >= before
    complaint = message.complaint
    assert complaint.received_at == message.received_at
    assert complaint.received_on == timezone.localdate(message.received_at)
    assert f"/{timezone.localdate().year}" in complaint.register_number


@pytest.mark.django_db
def test_backlog_counts_every_open_state(office, django_assert_num_queries):
    now = timezone.now()
    for status, minutes in [("received", 1), ("received", 10), ("failed", 20),
                            ("quarantined", 30), ("needs_review", 40), ("created", 50)]:
        InboundMessage.objects.create(channel_kind="sms", provider="generic", raw=b"x",
                                      parse_status=status,
                                      received_at=now - dt.timedelta(minutes=minutes))
    with django_assert_num_queries(1):  # one grouped query (issue 18: was three)
        backlog = selectors.inbound_backlog()
    assert backlog.counts == {"received": 2, "needs_review": 1, "quarantined": 1, "failed": 1}
    assert backlog.stuck == 1
    assert backlog.unprocessed == 3
    assert backlog.for_review == 4
    assert 20 * 60 <= backlog.oldest_unprocessed_seconds < 21 * 60
    # The oldest unprocessed is RECEIVED's when that is older than every FAILED one; an old
    # quarantined or created message is not unprocessed.
    InboundMessage.objects.create(channel_kind="sms", provider="generic", raw=b"x",
                                  parse_status="received", received_at=now - dt.timedelta(hours=2))
    InboundMessage.objects.create(channel_kind="sms", provider="generic", raw=b"x",
                                  parse_status="quarantined",
                                  received_at=now - dt.timedelta(hours=3))
    backlog = selectors.inbound_backlog()
    assert backlog.stuck == 2 and backlog.counts["quarantined"] == 2
    assert 120 * 60 <= backlog.oldest_unprocessed_seconds < 121 * 60
    # Another office's messages are not in an office's backlog; its own and unassigned are.
    other = Office.objects.create(code="dinas-lain", name="Dinas Lain", short_name="Dinas Lain",
                                  city="Bengkalis", government_name="PEMERINTAH KABUPATEN")
    for owner in (office, other):
        InboundMessage.objects.create(channel_kind="sms", provider="generic", raw=b"x",
                                      office=owner, parse_status="failed",
                                      received_at=now - dt.timedelta(hours=5))
    mine = selectors.inbound_backlog(office.pk)
    assert mine.counts == {"received": 3, "needs_review": 1, "quarantined": 2, "failed": 2}
    assert 300 * 60 <= mine.oldest_unprocessed_seconds < 301 * 60
    assert selectors.inbound_backlog().counts["failed"] == 3
    # An empty backlog: zeros and no oldest.
    InboundMessage.objects.update(parse_status="created")
    empty = selectors.inbound_backlog()
    assert empty.counts == dict.fromkeys(["received", "needs_review", "quarantined", "failed"], 0)
    assert (empty.stuck, empty.oldest_unprocessed_at, empty.oldest_unprocessed_seconds) == (
        0, None, None)


@pytest.mark.django_db
def test_dashboard_shows_the_inbound_backlog(client, office, head):
    InboundMessage.objects.create(channel_kind="sms", provider="generic", raw=b"x",
                                  parse_status="quarantined", received_at=timezone.now())
    login_verified(client, head)
    page = client.get("/desk/laporan/dasbor/").content.decode()
    assert 'id="inbound-quarantined">1<' in page
