"""The officers' review page for inbound messages the machine could not place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.services import Incoming, inbound_process, inbound_store
from aduan.offices.models import ChannelKind

LIST = reverse("intake_desk:inbound-list")


def unplaced(body: str = "Pesan <b>tanpa</b> pengirim", sender: str = "") -> InboundMessage:
    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.SMS, provider="generic",
                                        raw=body.encode(), sender=sender, body=body,
                                        data={"kind": "message"}))
    return inbound_process(message_id=message.pk)


@pytest.mark.django_db
def test_officer_sees_unplaced_messages_escaped(client, office, officer):
    message = unplaced()
    assert message.parse_status == ParseStatus.NEEDS_REVIEW
    login_verified(client, officer)
    page = client.get(LIST).content.decode()
    assert "Pesan &lt;b&gt;tanpa&lt;/b&gt; pengirim" in page
    assert "Pengirim pesan tidak diketahui." in page
    detail = client.get(reverse("intake_desk:inbound-detail", args=[message.pk]))
    assert detail.status_code == 200
    assert detail["Content-Type"].startswith("text/html")
    assert "<b>tanpa</b>" not in detail.content.decode()


@pytest.mark.django_db
def test_staff_outside_the_complaint_team_cannot_see_inbound_messages(client, office,
                                                                     unit_a_staff, head):
    message = unplaced()
    for user in (unit_a_staff, head):
        login_verified(client, user)
        assert client.get(LIST).status_code == 403
        assert client.get(reverse("intake_desk:inbound-detail", args=[message.pk])
                          ).status_code == 403
        assert client.post(reverse("intake_desk:inbound-resolve", args=[message.pk]),
                           {"note": "x"}).status_code == 403


@pytest.mark.django_db
def test_officer_registers_an_unplaced_message_as_a_complaint(client, office, officer):
    message = unplaced("Mohon info SIP", sender="081299998888")
    # With a sender it would have become a case; make it a review item for this test.
    InboundMessage.objects.filter(pk=message.pk).update(parse_status=ParseStatus.NEEDS_REVIEW)
    login_verified(client, officer)
    response = client.post(reverse("intake_desk:inbound-register", args=[message.pk]),
                           {"description": "Mohon info SIP bidan", "reporter_name": "Lina"})
    assert response.status_code == 302
    message.refresh_from_db()
    complaint = message.complaint
    assert message.parse_status == ParseStatus.RESOLVED
    assert complaint.description == "Mohon info SIP bidan"
    assert complaint.reporter.name == "Lina"
    assert complaint.created_by == officer
    assert client.get(LIST).content.decode().count("Mohon info SIP") == 0


@pytest.mark.django_db
def test_officer_marks_a_message_handled_with_a_note(client, office, officer):
    message = unplaced()
    login_verified(client, officer)
    url = reverse("intake_desk:inbound-resolve", args=[message.pk])
    empty = client.post(url, {"note": "  "}, follow=True)
    assert "Tuliskan catatan penanganan." in empty.content.decode()
    assert client.post(url, {"note": "Spam"}).status_code == 302
    message.refresh_from_db()
    assert (message.parse_status, message.resolution_note, message.resolved_by) == (
        ParseStatus.RESOLVED, "Spam", officer)
    again = client.post(url, {"note": "Lagi"}, follow=True)
    assert "Pesan ini sudah ditangani." in again.content.decode()
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_processing_twice_changes_nothing(office):
    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.SMS, provider="generic",
                                        raw=b"x", sender="081299990000", body="Halo",
                                        provider_message_id="p1", data={"kind": "message"}))
    inbound_process(message_id=message.pk)
    inbound_process(message_id=message.pk)
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().events.count() == 1


@pytest.mark.django_db
def test_a_message_that_cannot_be_registered_is_kept_for_review(office):
    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.SMS, provider="generic",
                                        raw=b"x", sender="081299990000", body="x" * 30_000,
                                        data={"kind": "message"}))
    office.channels.filter(kind__in=["sms", "whatsapp"]).update(is_active=False)
    result = inbound_process(message_id=message.pk)
    assert result.parse_status == ParseStatus.NEEDS_REVIEW
    assert "saluran" in result.error.lower()
    assert InboundMessage.objects.get().body == "x" * 30_000


@pytest.mark.django_db
def test_a_very_long_message_is_registered_truncated_and_kept_whole(office):
    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.SMS, provider="generic",
                                        raw=b"x", sender="081299990000", body="y" * 30_000,
                                        data={"kind": "message"}))
    result = inbound_process(message_id=message.pk)
    assert result.parse_status == ParseStatus.CREATED
    assert len(result.complaint.description) <= 20_000
    assert f"#{message.pk}" in result.complaint.description
    assert len(InboundMessage.objects.get().body) == 30_000


@pytest.mark.django_db
def test_administrator_sees_inbound_records_read_only(client, office, users):
    from django.contrib.auth import get_user_model

    unplaced()
    admin = get_user_model().objects.create_superuser("root-intake", "r@example.id", "x-pass-1")
    login_verified(client, admin)
    for name in ("inboundmessage", "conversation", "mailboxstate"):
        assert client.get(f"/admin/intake/{name}/").status_code == 200
    message = InboundMessage.objects.get()
    assert client.get(f"/admin/intake/inboundmessage/{message.pk}/change/").status_code == 200
    assert client.get(f"/admin/intake/inboundmessage/{message.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_an_email_with_only_a_subject_becomes_a_case(office):
    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.EMAIL, provider="imap",
                                        raw=b"x", sender="Warga@Example.id",
                                        subject="Izin reklame belum terbit",
                                        data={"kind": "message"}))
    result = inbound_process(message_id=message.pk)
    assert result.parse_status == ParseStatus.CREATED
    assert result.complaint.description == "Izin reklame belum terbit"
    assert result.complaint.reporter.email == "warga@example.id"


@pytest.mark.django_db
def test_list_masks_senders_and_opening_a_case_message_is_logged(client, office, officer):
    from aduan.complaints.models import IdentityAccess

    message, _ = inbound_store(Incoming(channel_kind=ChannelKind.SMS, provider="generic",
                                        raw=b"x", sender="081234567890", body="Halo",
                                        data={"kind": "message"}))
    message = inbound_process(message_id=message.pk)
    InboundMessage.objects.filter(pk=message.pk).update(error="Lampiran ditolak.")
    login_verified(client, officer)
    page = client.get(LIST).content.decode()
    assert "0812-3456-xxxx" in page and "+6281234567890" not in page
    detail = client.get(reverse("intake_desk:inbound-detail", args=[message.pk])).content
    assert b"+6281234567890" in detail
    access = IdentityAccess.objects.get()
    assert (access.user, access.complaint) == (officer, message.complaint)
