"""Per-office outbound identity (issue 18): a message to a case's reporter goes out on the
case's office's own channel (its WhatsApp number, SMS gateway device, mailbox) when it has one
(`Channel.sends_as`), else on the central intake's, else on the instance's settings. A forward
is announced from the office the reporter wrote to; later messages come from the receiving
office, whose WhatsApp number has no 24-hour window until the reporter writes to it.

SMTP is a real aiosmtpd server; Meta's Graph API and the SMS gateway are mocked at the HTTP
boundary with respx (they live off this machine), as in test_delivery.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import respx
from django.utils import timezone

from aduan.complaints import services as complaint_services
from aduan.complaints.models import Complaint
from aduan.complaints.tests.factories import make_office
from aduan.complaints.transfers import case_forward
from aduan.intake.models import InboundMessage
from aduan.notifications import services
from aduan.notifications.models import OutboxMessage, OutboxStatus, TemplateCode
from aduan.notifications.tests.factories import register
from aduan.offices.models import Channel, ChannelKind, Office
from aduan.offices.selectors import channel_sends_as

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.test/v21.0"
INSTANCE_NUMBER, B_NUMBER, CENTRAL_NUMBER = "1234567890", "5550002", "5550009"


@pytest.fixture
def graph(settings):
    settings.ADUAN_WHATSAPP_ENABLED = True
    settings.WHATSAPP_GRAPH_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN = "test-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = INSTANCE_NUMBER
    with respx.mock(assert_all_called=False) as mock:
        routes = {number: mock.post(f"{GRAPH}/{number}/messages").respond(
            200, json={"messages": [{"id": f"wamid.{number}"}]})
            for number in (INSTANCE_NUMBER, B_NUMBER, CENTRAL_NUMBER)}
        yield routes


@pytest.fixture
def sms_gateway(settings):
    settings.ADUAN_SMS_ENABLED = True
    settings.SMS_GATEWAY_URL = "http://gateway.test:8080"
    settings.SMS_GATEWAY_USERNAME = "sms"
    settings.SMS_GATEWAY_PASSWORD = "rahasia"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.post("http://gateway.test:8080/message").respond(202, json={"id": "x"})


def _with_own_channels(office: Office, *, mail: str = "", wa: str = "", device: str = "") -> Office:
    if mail:
        office.channels.filter(code="email_kantor").update(sends_as=mail)
    if wa:
        office.channels.filter(code="sms_wa").update(sends_as=wa)
    Channel.objects.create(office=office, code="sms", name="SMS", kind=ChannelKind.SMS,
                           contact="0811-7600-300", sends_as=device, order=99)
    from aduan.core import refcache

    refcache.clear()  # update() bypasses the signals that clear the memo
    return office


@pytest.fixture
def office_b(office) -> Office:
    return _with_own_channels(make_office("dinas-b", "Dinas Bee"),
                              mail="Dinas Bee <pengaduan@dinas-b.test>", wa=B_NUMBER,
                              device="dev-b")


def _deliver(complaint: Complaint, channel: str) -> OutboxMessage:
    message = OutboxMessage.objects.filter(complaint=complaint, channel=channel).latest("id")
    assert services.outbox_deliver(message.pk).outcome == "sent", message.last_error
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    return message


def test_mail_goes_out_from_the_office_mailbox_else_central_else_instance(
        office, office_b, smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "pengaduan@aduan.localhost"
    at_b = register(office_b, office_b.channels.get(code="website"), email="rina@example.id")
    _deliver(at_b, "email")
    at_a = register(office, office.channels.get(code="website"), email="budi@example.id")
    _deliver(at_a, "email")
    central = _with_own_channels(make_office("lapor", "Lapor Bupati"),
                                 mail="Lapor Bupati <lapor@kab.test>")
    Office.objects.filter(pk=central.pk).update(is_central_intake=True)
    from aduan.core import refcache

    refcache.clear()
    later_a = register(office, office.channels.get(code="website"), email="sari@example.id")
    _deliver(later_a, "email")

    by_to = {mail["To"]: mail for mail in smtp.messages}
    assert by_to["rina@example.id"]["From"] == "Dinas Bee <pengaduan@dinas-b.test>"
    assert by_to["budi@example.id"]["From"] == "pengaduan@aduan.localhost"
    assert by_to["sari@example.id"]["From"] == "Lapor Bupati <lapor@kab.test>"
    # Replies still go to the mailbox the poller reads, with the case's token.
    for mail in smtp.messages:
        assert mail["Reply-To"].startswith("pengaduan+")
        assert mail["Reply-To"].endswith("@aduan.localhost")


def test_whatsapp_goes_out_from_the_office_number(office, office_b, graph):
    at_b = register(office_b, office_b.channels.get(code="sms_wa"), phone="081234567890")
    at_a = register(office, office.channels.get(code="sms_wa"), phone="081298765432")
    _deliver(at_b, "whatsapp")
    assert graph[B_NUMBER].call_count == 1 and graph[INSTANCE_NUMBER].call_count == 0
    _deliver(at_a, "whatsapp")
    assert graph[INSTANCE_NUMBER].call_count == 1
    sent = json.loads(graph[B_NUMBER].calls.last.request.content)
    assert sent["to"] == "6281234567890"


def test_sms_goes_out_from_the_office_device(office, office_b, sms_gateway):
    at_b = register(office_b, office_b.channels.get(code="sms"), phone="081234567890")
    _deliver(at_b, "sms")
    assert json.loads(sms_gateway.calls.last.request.content)["deviceId"] == "dev-b"
    plain = _with_own_channels(make_office("dinas-c", "Dinas Cee"))
    at_c = register(plain, plain.channels.get(code="sms"), phone="081298765432")
    _deliver(at_c, "sms")
    assert "deviceId" not in json.loads(sms_gateway.calls.last.request.content)


def test_the_selector_falls_back_per_kind(office, office_b):
    assert channel_sends_as(office_b.pk, "whatsapp") == B_NUMBER
    assert channel_sends_as(office_b.pk, "sms") == "dev-b"
    assert channel_sends_as(office.pk, "whatsapp") == ""
    assert channel_sends_as(None, "email") == ""
    Channel.objects.filter(office=office_b, kind=ChannelKind.WHATSAPP).update(is_active=False)
    from aduan.core import refcache

    refcache.clear()
    assert channel_sends_as(office_b.pk, "whatsapp") == ""  # an inactive channel sends nothing


def _reporter_wrote(complaint: Complaint, number: str, text: str) -> None:
    """The reporter's WhatsApp message to `number` (a phone_number_id), as intake records it."""
    inbound = InboundMessage.objects.create(
        channel_kind="whatsapp", provider="meta", raw=b"{}", received_at=timezone.now(),
        sender=complaint.reporter.phone, body=text,
        data={"kind": "message", "phone_number_id": number})
    complaint_services.complaint_add_message(
        complaint_id=complaint.pk, body=text,
        data={"channel_kind": "whatsapp", "inbound_id": inbound.pk})


def test_after_a_forward_messages_come_from_the_receiving_office_number(
        office, office_b, officer, graph):
    from aduan.accounts.models import Role
    from aduan.complaints.tests.test_transfers import staff

    # Registered two days ago (its window is over); the reporter wrote again just now.
    complaint = register(office, office.channels.get(code="sms_wa"), phone="081234567890",
                         received_at=timezone.now() - dt.timedelta(days=2))
    _reporter_wrote(complaint, INSTANCE_NUMBER, "Mohon segera ditindaklanjuti.")
    case_forward(complaint, office_b, by=officer, reason="Kewenangan Dinas Bee.")
    case = Complaint.objects.get(pk=complaint.pk)

    # The news of the forward comes from the number the reporter wrote to, as free text
    # (they wrote to it within 24 hours).
    notice = OutboxMessage.objects.get(complaint=case, template_code=TemplateCode.FORWARDED)
    assert notice.data["from_office"] == office.pk
    _deliver(case, "whatsapp")
    assert graph[INSTANCE_NUMBER].call_count == 1
    assert json.loads(graph[INSTANCE_NUMBER].calls.last.request.content)["type"] == "text"

    # Dinas Bee's officer writes: from Dinas Bee's number, as the approved template (the
    # reporter has not written to that number, so it has no 24-hour window).
    officer_b = staff(office_b, "petugas_b", Role.OFFICER)
    complaint_services.complaint_send_message(complaint_id=case.pk, actor=officer_b,
                                              body="Kami periksa ke lokasi besok.")
    _deliver(case, "whatsapp")
    first = json.loads(graph[B_NUMBER].calls.last.request.content)
    assert first["type"] == "template"

    # Once the reporter writes to Dinas Bee's number, its window is open: free text.
    _reporter_wrote(case, B_NUMBER, "Baik, terima kasih.")
    complaint_services.complaint_send_message(complaint_id=case.pk, actor=officer_b,
                                              body="Petugas kami tiba pukul 09.00.")
    _deliver(case, "whatsapp")
    assert graph[B_NUMBER].call_count == 2
    second = json.loads(graph[B_NUMBER].calls.last.request.content)
    assert second["type"] == "text" and "09.00" in second["text"]["body"]
