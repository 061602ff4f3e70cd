"""Administrator-edited templates, staff reminders and provider status reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aduan.complaints import services as complaint_services
from aduan.notifications import services
from aduan.notifications.models import MessageTemplate, OutboxMessage, OutboxStatus, TemplateCode
from aduan.notifications.selectors import outbox_for_complaint
from aduan.notifications.tests.factories import register
from aduan.offices.calendar import calendar_for_office

pytestmark = pytest.mark.django_db


def test_default_templates_exist_after_migrate_and_are_indonesian():
    services.message_templates_ensure_defaults()
    receipt = MessageTemplate.objects.get(code="receipt")
    assert "Pengaduan Anda telah kami terima" in receipt.body
    assert MessageTemplate.objects.count() == len(TemplateCode)


def test_administrator_edits_the_receipt_in_the_admin_and_it_is_used(
    admin_client, office, web_channel
):
    services.message_templates_ensure_defaults()
    template = MessageTemplate.objects.get(code="receipt")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "code": "receipt",
            "subject": "Tanda terima {{ register_number }}",
            "body": "Terima kasih. Nomor: {{ register_number }}, kode lacak: {{ tracking_code }}.",
            "short_body": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    complaint = register(office, web_channel, email="a@example.id")
    [message] = outbox_for_complaint(complaint)
    number = complaint.register_number
    assert message.subject == f"[{number}] Tanda terima {number}"
    assert message.body == (
        f"Terima kasih. Nomor: {number}, kode lacak: {complaint.tracking_code}."
    )


def test_admin_refuses_a_template_with_broken_syntax_and_keeps_the_old_text(admin_client):
    services.message_templates_ensure_defaults()
    template = MessageTemplate.objects.get(code="receipt")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    response = admin_client.post(
        url,
        {
            "code": "receipt",
            "subject": "x",
            "body": "Nomor {% if %}",
            "short_body": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Templat tidak valid" in response.content.decode()
    template.refresh_from_db()
    assert "Pengaduan Anda telah kami terima" in template.body


def test_templates_cannot_reach_files_or_tag_libraries(office, web_channel):
    services.message_templates_ensure_defaults()
    MessageTemplate.objects.filter(code="receipt").update(
        body="{% load static %}{% include '/etc/passwd' %}"
    )
    # Broken at render time: the default text is used, so the receipt is still sent.
    complaint = register(office, web_channel, email="a@example.id")
    [message] = outbox_for_complaint(complaint)
    assert "root:" not in message.body
    assert complaint.tracking_code in message.body


def test_a_switched_off_message_is_not_written(office, web_channel, officer):
    services.message_templates_ensure_defaults()
    MessageTemplate.objects.filter(code="closure").update(is_active=False)
    complaint = register(office, web_channel, email="a@example.id")
    complaint_services.complaint_verify(
        complaint_id=complaint.pk,
        actor=officer,
        checklist=complaint_services.Checklist(chronology_present=True),
    )
    complaint_services.complaint_respond(
        complaint_id=complaint.pk, actor=officer, response="Selesai."
    )
    complaint_services.complaint_close(complaint_id=complaint.pk, actor=officer)
    assert [m.template_code for m in outbox_for_complaint(complaint)] == ["receipt", "response"]


def test_reminders_reach_the_complaint_team_once_per_case_per_day(
    office, web_channel, users, officer
):
    due_soon = register(office, web_channel, email="a@example.id")
    settled = register(office, web_channel, email="b@example.id")
    complaint_services.complaint_answer(complaint_id=settled.pk, actor=officer, answer="OK.")
    calendar = calendar_for_office(office.pk)
    far = calendar.add_working_days(due_soon.received_on, 5)
    assert services.reminders_queue(today=far) == 0
    near = calendar.add_working_days(due_soon.received_on, 18)  # 2 working days left
    assert services.reminders_queue(today=near) == 2  # the officer and the team lead
    assert services.reminders_queue(today=near) == 0  # once a day
    reminders = OutboxMessage.objects.filter(template_code="reminder")
    assert sorted(reminders.values_list("recipient", flat=True)) == [
        "ketua@aduan.localhost",
        "petugas@aduan.localhost",
    ]
    assert set(reminders.values_list("complaint_id", flat=True)) == {due_soon.pk}
    body = reminders.first().body
    assert "sisa 2 hari kerja" in body
    assert f"/desk/pengaduan/{due_soon.pk}/" in body
    overdue = calendar.add_working_days(due_soon.received_on, 22)
    assert services.reminders_queue(today=overdue) == 2
    assert (
        "telah melewati tenggat"
        in OutboxMessage.objects.filter(template_code="reminder").order_by("-pk").first().body
    )


def test_reminders_do_not_go_to_unit_staff_or_the_head(office, web_channel, users):
    complaint = register(office, web_channel, email="a@example.id")
    calendar = calendar_for_office(office.pk)
    services.reminders_queue(today=calendar.add_working_days(complaint.received_on, 19))
    recipients = set(
        OutboxMessage.objects.filter(template_code="reminder").values_list("recipient", flat=True)
    )
    assert not recipients & {
        "perizinan_a@aduan.localhost",
        "kadis@aduan.localhost",
        "perizinan_b@aduan.localhost",
    }


def _sent_message(office, channel, provider_id: str) -> OutboxMessage:
    complaint = register(office, channel, phone="081268610005")
    message = OutboxMessage.objects.get(complaint=complaint)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, provider_message_id=provider_id
    )
    return message


def test_provider_status_moves_forward_only(office, wa_channel):
    message = _sent_message(office, wa_channel, "wamid.ABC")
    record = services.outbox_record_provider_status
    assert record(provider_message_id="wamid.ABC", status="delivered").status == "delivered"
    assert record(provider_message_id="wamid.ABC", status="read").status == "read"
    # A late "delivered" never undoes "read".
    assert record(provider_message_id="wamid.ABC", status="delivered").status == "read"
    message.refresh_from_db()
    assert message.delivered_at is not None and message.read_at is not None


def test_provider_failure_is_recorded_with_its_reason(office, wa_channel):
    message = _sent_message(office, wa_channel, "wamid.F")
    services.outbox_record_provider_status(
        provider_message_id="wamid.F", status="failed", error="131026: Message undeliverable"
    )
    message.refresh_from_db()
    assert message.status == "failed"
    assert message.last_error == "131026: Message undeliverable"


def test_unknown_provider_ids_and_statuses_are_ignored(office, wa_channel):
    _sent_message(office, wa_channel, "wamid.K")
    assert (
        services.outbox_record_provider_status(provider_message_id="wamid.X", status="read") is None
    )
    assert (
        services.outbox_record_provider_status(provider_message_id="wamid.K", status="exploded")
        is None
    )
    assert OutboxMessage.objects.get(provider_message_id="wamid.K").status == "sent"


def test_a_bounce_naming_our_message_id_marks_the_email_failed(office, web_channel, smtp):
    complaint = register(office, web_channel, email="a@example.id")
    message = OutboxMessage.objects.get(complaint=complaint)
    services.outbox_deliver(message.pk)
    message.refresh_from_db()
    # A forged bounce naming a guessable id is not ours: nothing changes.
    for forged in (f"outbox-{message.pk}@aduan.localhost", f"<outbox-{message.pk}@x>"):
        assert services.outbox_record_provider_status(
            provider_message_id=forged, status="failed", error="550") is None
    assert OutboxMessage.objects.get(pk=message.pk).status == "sent"
    recorded = services.outbox_record_provider_status(
        provider_message_id=message.provider_message_id,
        status="failed",
        error="550 5.1.1 user unknown",
    )
    assert recorded.pk == message.pk
    assert recorded.status == "failed"


def test_officer_message_goes_to_the_reporter_on_their_channel(office, wa_channel, officer, head):
    complaint = register(office, wa_channel, phone="081268610005")
    complaint_services.complaint_send_message(
        complaint_id=complaint.pk, actor=officer, body="Mohon kirim foto KTP Anda."
    )
    message = outbox_for_complaint(complaint)[-1]
    assert (message.template_code, message.channel) == ("message", "whatsapp")
    assert message.body == "Mohon kirim foto KTP Anda."
    from aduan.complaints.services import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        complaint_services.complaint_send_message(
            complaint_id=complaint.pk, actor=head, body="Halo"
        )


def test_no_reminders_on_days_off_or_before_the_working_day_starts(office, web_channel, users):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from aduan.notifications.tasks import send_deadline_reminders

    complaint = register(office, web_channel, email="a@example.id")
    calendar = calendar_for_office(office.pk)
    near = calendar.add_working_days(complaint.received_on, 19)
    saturday = near + dt.timedelta(days=(5 - near.weekday()) % 7)
    assert services.reminders_queue(today=saturday) == 0
    jakarta = ZoneInfo("Asia/Jakarta")
    with time_machine.travel(dt.datetime.combine(near, dt.time(5, 0), tzinfo=jakarta)):
        assert send_deadline_reminders.call() == 0
    with time_machine.travel(dt.datetime.combine(near, dt.time(8, 0), tzinfo=jakarta)):
        assert send_deadline_reminders.call() == 2
