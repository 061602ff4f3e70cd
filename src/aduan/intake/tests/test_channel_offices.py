"""The office of an inbound message comes from the channel it arrived on (issue 18).

Two offices with different WhatsApp numbers and mailboxes receive the recorded samples
(/work/shared/samples, copied under fixtures/) over the real webhook and a real IMAP server; a
message whose number or mailbox names no office goes to the central intake, to the one office
of a single-office instance, or (several offices, no central intake) waits in every office's
review list. None is dropped."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from aduan.accounts.models import Role
from aduan.accounts.testing import login_verified
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.tests.conftest import FIXTURES, SMS_SECRET, fixture_bytes, wa_sign
from aduan.offices.models import Channel, ChannelKind, Office
from aduan.offices.selectors import office_for_inbound

pytestmark = pytest.mark.django_db
WA_URL = "/intake/whatsapp/"
SMS_URL = "/intake/sms/"
# The sample's business number: metadata.display_phone_number / phone_number_id.
SAMPLE_DISPLAY, SAMPLE_ID = "972123456789", "1122334455667"


def make_office(code: str, *, wa: str = "", mail: str = "", sms: str = "",
                central: bool = False) -> Office:
    other = Office.objects.create(code=code, name=f"Dinas {code}", short_name=code.upper(),
                                  city="Bengkalis", is_central_intake=central)
    for kind, contact in ((ChannelKind.WHATSAPP, wa), (ChannelKind.EMAIL, mail),
                          (ChannelKind.SMS, sms)):
        Channel.objects.create(office=other, code=f"{kind}-{code}", name=f"{kind} {code}",
                               kind=kind, contact=contact)
    return other


def wa_payload(*, display: str, number_id: str, wamid: str, text: str = "Jalan rusak") -> bytes:
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["metadata"] = {"display_phone_number": display, "phone_number_id": number_id}
    value["messages"][0].update({"id": wamid, "text": {"body": text}})
    return json.dumps(payload).encode()


def post_wa(client, body: bytes):
    response = client.post(WA_URL, data=body, content_type="application/json",
                           headers={"X-Hub-Signature-256": wa_sign(body)})
    assert response.status_code == 200
    return response


def test_whatsapp_samples_go_to_the_office_of_the_number(client, office, channel_settings):
    """Office B's channel names the sample's number (as a person writes it, with its
    phone_number_id); office A keeps its own number 081268610005."""
    office_b = make_office("dinas-b", wa="+972 12-345-6789")
    post_wa(client, fixture_bytes("whatsapp", "01_inbound_text.json"))  # byte for byte
    message = InboundMessage.objects.get(provider_message_id="wamid.xyzxyz")
    assert message.office == office_b
    complaint = message.complaint
    assert complaint.office == office_b and complaint.channel.office == office_b
    assert complaint.channel.kind == ChannelKind.WHATSAPP

    # The same reporter writes to A's number: a case of office A, not joined to B's.
    post_wa(client, wa_payload(display="6281268610005", number_id="555", wamid="wamid.a1",
                               text="Izin apotek belum selesai"))
    message_a = InboundMessage.objects.get(provider_message_id="wamid.a1")
    assert message_a.office == office
    assert message_a.complaint is not None
    assert message_a.complaint.office == office

    # By phone_number_id alone (the display number unknown): B lists it in its contact.
    Channel.objects.filter(office=office_b, kind=ChannelKind.WHATSAPP).update(
        contact=f"0811-7600-200, {SAMPLE_ID}")
    from aduan.core import refcache

    refcache.clear()  # update() bypasses the signals that clear the memo
    post_wa(client, wa_payload(display="000", number_id=SAMPLE_ID, wamid="wamid.b2",
                               text="Lampu jalan mati"))
    assert InboundMessage.objects.get(provider_message_id="wamid.b2").office == office_b


def test_unknown_number_goes_to_the_central_intake(client, office, channel_settings):
    central = make_office("lapor-bupati", wa="0811-0000-111", central=True)
    post_wa(client, wa_payload(display="6299999999", number_id="42", wamid="wamid.c1"))
    message = InboundMessage.objects.get(provider_message_id="wamid.c1")
    assert message.office == central
    assert message.complaint.office == central


def test_unknown_number_on_a_single_office_instance_goes_to_the_one_office(
        client, office, channel_settings):
    post_wa(client, fixture_bytes("whatsapp", "01_inbound_text.json"))
    message = InboundMessage.objects.get()
    assert message.office == office and message.complaint.office == office


def test_unknown_number_without_central_intake_waits_for_an_officer(
        client, office, channel_settings, make_user):
    """Several offices and no central intake: nobody can tell the office, so the message waits
    in the review list of every office (never dropped) and an officer registers it in theirs."""
    office_b = make_office("dinas-b", wa="0811-7600-200")
    post_wa(client, wa_payload(display="6299999999", number_id="42", wamid="wamid.n1"))
    message = InboundMessage.objects.get(provider_message_id="wamid.n1")
    assert message.office is None
    assert message.parse_status == ParseStatus.NEEDS_REVIEW
    assert message.complaint is None

    officer_a = make_user("petugas-a", Role.OFFICER)
    login_verified(client, officer_a)
    page = client.get(reverse("intake_desk:inbound-list"))
    assert page.status_code == 200
    assert reverse("intake_desk:inbound-detail", args=[message.pk]) in page.content.decode()
    # Office B's officer sees it too.
    from aduan.accounts.models import User

    officer_b = User.objects.create_user(username="petugas-b", password="x-test-pass-123",
                                         office=office_b)
    from django.contrib.auth.models import Group

    officer_b.groups.add(Group.objects.get(name=Role.OFFICER.value))
    other = login_verified(type(client)(), officer_b)
    assert reverse("intake_desk:inbound-detail", args=[message.pk]) in other.get(
        reverse("intake_desk:inbound-list")).content.decode()


def test_generic_sms_goes_to_the_office_of_the_number_it_was_sent_to(client, office,
                                                                    channel_settings):
    office_b = make_office("dinas-b", sms="0811-7600-300")
    response = client.post(SMS_URL, {"from": "0812-1111-2222", "to": "+62 811 7600 300",
                                     "text": "Sampah belum diangkut", "id": "s1",
                                     "secret": SMS_SECRET})
    assert response.status_code == 200
    message = InboundMessage.objects.get(provider_message_id="s1")
    assert message.office == office_b and message.complaint.office == office_b
    # A's own "SMS / WA" line (a WhatsApp channel) is matched for SMS too.
    client.post(SMS_URL, {"from": "0812-1111-3333", "to": "081268610005", "text": "Izin",
                          "id": "s2", "secret": SMS_SECRET})
    assert InboundMessage.objects.get(provider_message_id="s2").office == office


def test_email_samples_go_to_the_office_of_their_mailbox(office, mailbox):
    """Real samples over a real IMAP server: three are addressed to helpdesk@auto-mat.cz
    (office B's mailbox), one to recipient@domain.tld (no office's: the central intake, A)."""
    office.is_central_intake = True
    office.save()
    office_b = make_office("dinas-b", mail="Helpdesk <HELPDESK@auto-mat.cz>")
    names = {"03_multipart_alternative_qp_encoded_subject.eml": office_b,
             "05_attachment_blank_body.eml": office_b,
             "10_rfc2047_subject_8bit_utf8_body.eml": office_b,
             "01_forwarded_inline.eml": office}
    for name in names:
        mailbox.append((FIXTURES / "email" / name).read_bytes())
    result = mailbox.poll()
    assert result.fetched == 4
    messages = list(InboundMessage.objects.order_by("pk"))
    assert len(messages) == 4
    for message, (name, expected) in zip(messages, names.items(), strict=True):
        assert message.office == expected, name
        if message.complaint is not None:
            assert message.complaint.office == expected, name


@pytest.mark.parametrize("addresses", [
    (), ("",), ("garbage",), ("+",), ("0",), ("@",), ("a@",), ("x" * 5000,),
    ("\x00\x00",), ("٠٨١١٧٦٠٠٢٠٠",), ("pengaduan+token@x.go.id",)])
def test_malformed_addresses_fall_back_and_never_raise(office, addresses):
    make_office("dinas-b", wa="0811-7600-200", mail="pengaduan@y.go.id")
    for kind in (ChannelKind.WHATSAPP, ChannelKind.SMS, ChannelKind.EMAIL, "nonsense"):
        assert office_for_inbound(kind, addresses) in (None, office)


def test_plus_addressed_reply_mailbox_is_the_office_mailbox(office):
    office_b = make_office("dinas-b", mail="pengaduan@dlh.go.id")
    assert office_for_inbound(ChannelKind.EMAIL, ("Pengaduan+abc123@DLH.go.id",)) == office_b


def test_a_number_two_offices_share_goes_to_the_central_intake(office):
    central = make_office("pusat", wa="0811-1", central=True)
    make_office("dinas-b", wa="0811-7600-200")
    make_office("dinas-c", wa="+62 811 7600 200")
    assert office_for_inbound(ChannelKind.WHATSAPP, ("6281176002 00",)) == central
    # An inactive channel or office names nobody.
    Channel.objects.filter(office__code="dinas-c").update(is_active=False)
    from aduan.core import refcache

    refcache.clear()
    assert office_for_inbound(ChannelKind.WHATSAPP, ("6281176002 00",)).code == "dinas-b"


def test_a_reporter_writing_to_two_offices_numbers_has_two_conversations(
        client, office, channel_settings):
    """One open conversation per (office, channel, address): the reporter's thread with B
    stays open while they write to A, and their next message to B joins B's case."""
    from aduan.intake.models import Conversation

    office_b = make_office("dinas-b", wa="0811-7600-200")
    post_wa(client, wa_payload(display="6281176002 00", number_id="200", wamid="wamid.t1",
                               text="Jalan berlubang di depan pasar"))
    post_wa(client, wa_payload(display="6281268610005", number_id="555", wamid="wamid.t2",
                               text="Izin apotek belum selesai"))
    post_wa(client, wa_payload(display="6281176002 00", number_id="200", wamid="wamid.t3",
                               text="Sudah tiga minggu"))
    to_b, to_a, again_b = (InboundMessage.objects.get(provider_message_id=f"wamid.t{n}")
                           for n in (1, 2, 3))
    assert to_b.complaint.office == office_b and to_a.complaint.office == office
    assert again_b.parse_status == ParseStatus.JOINED
    assert again_b.complaint_id == to_b.complaint_id
    open_threads = Conversation.objects.filter(address=to_b.sender, is_open=True)
    assert {(c.office_id, c.complaint_id) for c in open_threads} == {
        (office_b.pk, to_b.complaint_id), (office.pk, to_a.complaint_id)}


def test_an_sms_gateway_device_names_the_office(client, office, channel_settings):
    """SMS Gateway for Android names no receiving number, only its device: the office whose
    SMS channel sends as that device receives it; an unknown device goes to the default."""
    from aduan.intake.tests.test_sms import event, signed

    office_b = make_office("dinas-b", sms="0811-7600-300")
    Channel.objects.filter(office=office_b, kind=ChannelKind.SMS).update(
        sends_as="DevB-7f3a")
    from aduan.core import refcache

    refcache.clear()  # update() bypasses the signals that clear the memo
    for event_id, device in (("g1", "devb-7f3a"), ("g2", "unknown-device")):
        payload = json.loads(event("Sampah belum diangkut", event_id))
        payload["deviceId"] = device
        body = json.dumps(payload).encode()
        response = client.post("/intake/sms/sms-gate/", data=body,
                               content_type="application/json", headers=signed(body))
        assert response.status_code == 200
    to_b = InboundMessage.objects.get(provider_message_id="g1")
    assert to_b.office == office_b and to_b.complaint.office == office_b
    assert InboundMessage.objects.get(provider_message_id="g2").office is None  # no central
