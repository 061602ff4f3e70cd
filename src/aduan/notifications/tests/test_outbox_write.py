"""Which events write which messages, to whom, on which channel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aduan.complaints import services
from aduan.complaints.models import EventKind
from aduan.notifications.models import OutboxMessage, TemplateCode
from aduan.notifications.selectors import outbox_for_complaint
from aduan.notifications.tests.factories import register
from aduan.offices.models import ChannelKind

pytestmark = pytest.mark.django_db


def test_web_complaint_writes_an_email_receipt_with_number_and_tracking_code(office, web_channel):
    complaint = register(office, web_channel, email="Rina@Example.id")
    [message] = outbox_for_complaint(complaint)
    assert message.channel == "email"
    assert message.recipient == "rina@example.id"
    assert message.template_code == TemplateCode.RECEIPT
    assert message.subject.startswith(f"[{complaint.register_number}] ")
    assert complaint.tracking_code in message.body
    assert "/lacak/" in message.body
    assert message.case_event.kind == EventKind.RECEIVED
    assert message.status == "pending"


def test_whatsapp_complaint_is_answered_on_whatsapp_only(office, wa_channel):
    complaint = register(office, wa_channel, phone="0812-6861-0005", email="x@example.id")
    [message] = outbox_for_complaint(complaint)
    assert (message.channel, message.recipient) == ("whatsapp", "+6281268610005")
    assert complaint.register_number in message.body
    assert complaint.tracking_code in message.body


def test_sms_complaint_is_answered_by_sms(office):
    channel = office.channels.create(code="sms", name="SMS", kind=ChannelKind.SMS)
    complaint = register(office, channel, phone="081268610005")
    assert [(m.channel, m.recipient) for m in outbox_for_complaint(complaint)] == [
        ("sms", "+6281268610005")
    ]


def test_web_complaint_with_phone_also_gets_whatsapp_when_the_channel_is_set_up(
    office, web_channel, settings
):
    settings.ADUAN_WHATSAPP_ENABLED = True
    complaint = register(office, web_channel, email="a@example.id", phone="081268610005")
    assert sorted(m.channel for m in outbox_for_complaint(complaint)) == ["email", "whatsapp"]


def test_web_complaint_with_phone_gets_no_whatsapp_when_it_is_not_enabled(
    office, web_channel, settings
):
    settings.ADUAN_WHATSAPP_ENABLED = False
    settings.ADUAN_SMS_ENABLED = False
    complaint = register(office, web_channel, email="a@example.id", phone="081268610005")
    assert [m.channel for m in outbox_for_complaint(complaint)] == ["email"]


def test_anonymous_reporter_without_contact_gets_nothing(office, web_channel):
    complaint = register(office, web_channel, anonymous=True, name="")
    assert outbox_for_complaint(complaint) == []


def test_anonymous_reporter_with_a_chosen_email_gets_an_unnamed_receipt(office, web_channel):
    complaint = register(
        office, web_channel, anonymous=True, name="Rahasia Sekali", email="anon@example.id"
    )
    [message] = outbox_for_complaint(complaint)
    assert "Rahasia" not in message.body
    assert "Bapak/Ibu" in message.body


def test_history_entered_later_is_not_announced(office, web_channel):
    complaint = register(
        office,
        web_channel,
        email="a@example.id",
        received_at=timezone.now() - dt.timedelta(days=40),
    )
    assert outbox_for_complaint(complaint) == []


def test_public_steps_write_messages_and_internal_steps_do_not(
    office, web_channel, officer, lead, unit_a_staff
):
    complaint = register(office, web_channel, email="a@example.id")
    pk = complaint.pk
    services.complaint_verify(
        complaint_id=pk, actor=officer, checklist=services.Checklist(chronology_present=True)
    )
    services.complaint_dispose(
        complaint_id=pk, actor=lead, unit=office.units.get(code="perizinan-a")
    )
    services.complaint_clarify(complaint_id=pk, actor=unit_a_staff, clarification="Cek berkas.")
    services.complaint_add_note(complaint_id=pk, actor=officer, body="Catatan internal <b>")
    services.complaint_respond(
        complaint_id=pk, actor=officer, response="Izin Anda terbit hari ini."
    )
    services.complaint_close(complaint_id=pk, actor=officer)
    messages = outbox_for_complaint(complaint)
    assert [m.template_code for m in messages] == ["receipt", "response", "closure"]
    assert "Izin Anda terbit hari ini." in messages[1].body
    assert all("Cek berkas" not in m.body and "Catatan internal" not in m.body for m in messages)
    assert "Ombudsman" in messages[2].body


def test_referral_names_the_agency(office, web_channel, officer):
    complaint = register(office, web_channel, email="a@example.id")
    agency = office.agencies.first()
    services.complaint_refer(
        complaint_id=complaint.pk,
        actor=officer,
        agency=agency,
        reply="Silakan ajukan ke instansi tersebut.",
    )
    message = outbox_for_complaint(complaint)[-1]
    assert message.template_code == "referral"
    assert agency.name in message.body


def test_completion_request_states_what_is_missing_and_the_limit(office, web_channel, officer):
    complaint = register(office, web_channel, email="a@example.id")
    services.complaint_request_completion(
        complaint_id=complaint.pk, actor=officer, note="Lampirkan fotokopi KTP."
    )
    message = outbox_for_complaint(complaint)[-1]
    assert message.template_code == "completion_request"
    assert "Lampirkan fotokopi KTP." in message.body
    assert "UU 25/2009" in message.body


def test_user_text_is_sent_as_plain_text_not_escaped(office, web_channel, officer):
    complaint = register(office, web_channel, email="a@example.id")
    services.complaint_answer(
        complaint_id=complaint.pk, actor=officer, answer="Syarat: KTP & KK <asli>."
    )
    assert "Syarat: KTP & KK <asli>." in outbox_for_complaint(complaint)[-1].body


def test_writing_is_idempotent_per_event_and_channel(office, web_channel):
    from aduan.notifications.services import outbox_write_for_event

    complaint = register(office, web_channel, email="a@example.id")
    event = complaint.events.get(kind=EventKind.RECEIVED)
    assert outbox_write_for_event(event) == []
    assert OutboxMessage.objects.filter(complaint=complaint).count() == 1


def test_web_complaint_with_phone_falls_back_to_sms_when_only_sms_is_set_up(
    office, web_channel, settings
):
    settings.ADUAN_WHATSAPP_ENABLED = False
    settings.ADUAN_SMS_ENABLED = True
    office.channels.create(code="sms", name="SMS", kind=ChannelKind.SMS)
    complaint = register(office, web_channel, email="a@example.id", phone="081268610005")
    assert sorted((m.channel, m.recipient) for m in outbox_for_complaint(complaint)) == [
        ("email", "a@example.id"),
        ("sms", "+6281268610005"),
    ]


def test_text_message_on_a_shared_sms_wa_channel_is_answered_by_sms(office, wa_channel):
    """Intake records the kind the reporter wrote on; an SMS sent to the office's shared
    "SMS / WA" number gets its reply by SMS, a WhatsApp message by WhatsApp."""
    by_sms = register(office, wa_channel, phone="081268610005", data={"channel_kind": "sms"})
    by_wa = register(office, wa_channel, phone="081268610006",
                     data={"channel_kind": "whatsapp"})
    assert [m.channel for m in outbox_for_complaint(by_sms)] == ["sms"]
    assert [m.channel for m in outbox_for_complaint(by_wa)] == ["whatsapp"]
