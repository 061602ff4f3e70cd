"""E-mail channel: all 15 sample .eml files read from a real IMAP server (dovecot)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.utils import timezone

from aduan.complaints.models import Attachment, Complaint, EventKind
from aduan.intake.email_headers import minimise_headers
from aduan.intake.models import InboundMessage, MailboxState, ParseStatus
from aduan.intake.tests.conftest import FIXTURES

SAMPLES = sorted((FIXTURES / "email").glob("*.eml"))


def by_file(name: str) -> InboundMessage:
    """The row of a sample, stored with its trace headers removed."""
    raw = minimise_headers((FIXTURES / "email" / name).read_bytes())
    for message in InboundMessage.objects.filter(channel_kind="email"):
        if bytes(message.raw).replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n"):
            return message
    raise AssertionError(f"{name} not stored")


@pytest.mark.django_db
def test_all_fifteen_samples_are_read_over_imap_and_none_is_lost(office, mailbox):
    from aduan.notifications.models import OutboxMessage

    assert len(SAMPLES) == 15
    # The outbound mail that sample 15 bounces (its DSN quotes this Message-ID).
    bounced = OutboxMessage.objects.create(
        template_code="receipt", channel="email", recipient="someone@aol.com", body="x",
        dedupe_key="intake-bounce-test", status="sent",
        provider_message_id="<4E326A95.3010907@example.com>")
    for path in SAMPLES:
        mailbox.append(path.read_bytes())

    result = mailbox.poll()

    assert (result.fetched, result.new, result.duplicates) == (15, 15, 0)
    assert InboundMessage.objects.filter(channel_kind="email").count() == 15
    assert mailbox.unseen() == 0
    statuses = {p.name: by_file(p.name).parse_status for p in SAMPLES}
    assert statuses["12_rfc2047_unknown_charset_subject.eml"] == ParseStatus.NEEDS_REVIEW
    assert statuses["15_bounce_dsn_auto_submitted.eml"] == ParseStatus.IGNORED
    # The second mail from the same address carries no reply token: From alone places no
    # mail on a case (it is forged in a line), so an officer looks at it.
    assert statuses["10_rfc2047_subject_8bit_utf8_body.eml"] == ParseStatus.NEEDS_REVIEW
    created = [n for n, s in statuses.items() if s == ParseStatus.CREATED]
    assert len(created) == 12
    assert Complaint.objects.count() == 12

    def case(name: str) -> Complaint:
        return by_file(name).complaint

    first = case("01_forwarded_inline.eml")
    assert first.subject == "Test with original message from GitHub"
    assert "This is email body" in first.description
    assert "-----Original Message-----" in first.description
    assert first.reporter.email == "sender@domain.tld"
    assert first.reporter.name == "The Sender"
    assert first.channel.kind == "email"

    # Received when read from the mailbox, not on the sender's Date header (2005 here).
    assert first.received_on == timezone.localdate()
    assert by_file("02_forwarded_as_attachment_rfc822.eml").data["date_header"].startswith(
        "2005-06-06")
    forwarded = case("02_forwarded_as_attachment_rfc822.eml")
    assert "This is the first part." in forwarded.description
    assert "Pesan terusan" in forwarded.description
    assert "Just attaching another PDF" in forwarded.description

    assert case("03_multipart_alternative_qp_encoded_subject.eml").subject == "Český test"
    assert case("03_multipart_alternative_qp_encoded_subject.eml").description == (
        "Tohle je test českých písmen odeslaných z gmailu.")
    assert case("04_multipart_alternative_fwd_bad_utf8.eml").subject == (
        "Fwd: Cyklozaměstnavatel - změna vyhodnocení")

    blank = case("05_attachment_blank_body.eml")
    assert len(blank.subject) <= 300
    assert blank.subject.startswith("Attachment without body")
    # "baf" is plain text by content: not an allowed attachment type; the officer is told.
    assert blank.attachments.count() == 0
    assert "baf" in by_file("05_attachment_blank_body.eml").error
    second = by_file("10_rfc2047_subject_8bit_utf8_body.eml")
    assert "íářčšáíéřášč" in second.body
    assert blank.register_number in second.error and "token" in second.error
    assert not blank.events.filter(kind=EventKind.MESSAGE_IN).exists()

    # No stored mail keeps the sender's IP address or the path through their provider.
    for row in InboundMessage.objects.filter(channel_kind="email"):
        head = bytes(row.raw).split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
        assert b"\nreceived:" not in head and not head.startswith(b"received:")
        assert b"x-originating-ip" not in head and b"received-spf" not in head
        for ip in (b"89.176.203.67", b"69.36.39.150", b"64.233.184.203"):
            assert ip not in head

    iso = case("06_attachment_pdf_iso8859_body.eml")
    assert iso.subject == "Another PDF with 🎉 Unicode chars in it 🍿"
    assert "Just attaching another PDF" in iso.description

    photo = case("07_attachment_rfc2231_rfc2047_filename.eml").attachments.get()
    assert photo.original_name == "Eelanalüüsi päring.jpg"
    assert photo.content_type == "image/jpeg"
    assert "Eelanal" not in photo.file.name

    assert case("08_charset_iso2022jp.eml").subject == "まみむめも"
    assert case("08_charset_iso2022jp.eml").description == "すみません。"
    korean = case("09_charset_euckr_base64_encoded_subject.eml")
    assert korean.subject == "NOTE: 한국말로 하는 것"
    assert "제 이름은 Jamis입니다." in korean.description

    comma = case("11_rfc2047_from_displayname_with_comma.eml")
    assert comma.reporter.name == "Foo, Bar"
    assert comma.reporter.email == "foo.bar@example.com"

    html = case("13_html_only_iso8859.eml")
    assert "<" not in html.description and "http://www.longurlmaker.com/" in html.description
    assert case("14_malformed_missing_final_boundary.eml").description == "Some body"

    nobody = by_file("12_rfc2047_unknown_charset_subject.eml")
    assert nobody.complaint is None
    assert nobody.subject == "TEST"
    assert "Pengirim" in nobody.error

    bounce = by_file("15_bounce_dsn_auto_submitted.eml")
    assert bounce.complaint is None
    assert "auto-replied" in bounce.data["skip_reason"]
    bounced.refresh_from_db()
    assert bounced.status == "failed"

    # Attachment names are for display only: stored files have random names.
    for attachment in Attachment.objects.all():
        assert attachment.original_name not in attachment.file.name

    # Processed by UID: a second poll reads nothing; the same mail again is a duplicate.
    assert mailbox.poll().fetched == 0
    assert MailboxState.objects.get().last_uid == 15
    mailbox.append(SAMPLES[0].read_bytes())
    again = mailbox.poll()
    assert (again.fetched, again.new, again.duplicates) == (1, 0, 1)
    assert Complaint.objects.count() == 12


def _mail(sender: str, subject: str, body: str, message_id: str) -> bytes:
    return (f"From: Warga <{sender}>\r\nTo: pengaduan@example.go.id\r\n"
            f"Subject: {subject}\r\nMessage-ID: <{message_id}@example.id>\r\n"
            "Date: Mon, 2 Jun 2025 09:00:00 +0700\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n").encode()


def _mail_to(to: str, sender: str, subject: str, body: str, message_id: str) -> bytes:
    return _mail(sender, subject, body, message_id).replace(
        b"To: pengaduan@example.go.id", f"To: {to}".encode())


def _receipt(complaint) -> EmailMessage:
    """Send the case's receipt through the outbox and return the mail as it went out."""
    from django.core import mail

    from aduan.notifications.models import OutboxMessage
    from aduan.notifications.services import outbox_deliver

    row = OutboxMessage.objects.get(complaint=complaint, channel="email")
    assert outbox_deliver(row.pk).outcome == "sent"
    return mail.outbox[-1].message()


@pytest.mark.django_db
def test_a_reply_joins_its_case_only_with_our_token_from_the_reporter(office, mailbox,
                                                                      settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ADUAN_REPLY_ADDRESS = "pengaduan@example.go.id"
    mailbox.append(_mail("warga@example.id", "Izin PBG belum terbit", "Mohon dibantu.", "m1"))
    mailbox.poll()
    complaint = Complaint.objects.get()
    receipt = _receipt(complaint)
    reply_to = receipt["Reply-To"]
    token = reply_to.split("+", 1)[1].split("@", 1)[0]
    assert reply_to == f"pengaduan+{token}@example.go.id"
    assert receipt["Subject"].endswith(f"[ref:{token}]")
    number = complaint.register_number

    # The reporter answers the receipt: to the Reply-To address, from their own address.
    mailbox.append(_mail_to(reply_to, "Warga@Example.id", f"Re: {receipt['Subject']}",
                            "Ini lampiran tambahan.", "m2"))
    # Someone forging the reporter's From, quoting the number but without the token.
    mailbox.append(_mail("warga@example.id", f"Re: [{number}] Tanda terima", "Saya cabut.",
                         "m3"))
    # Someone else who got hold of the token (a forwarded receipt) but not the address.
    mailbox.append(_mail_to(reply_to, "lain@example.id", "Re: tanda terima", "Saya juga.",
                            "m4"))
    # The reporter writes a new mail to the office address, the token kept in the subject.
    mailbox.append(_mail("warga@example.id", f"Tambahan [ref:{token.upper()}]",
                         "Nomor izin 123.", "m5"))
    # A made-up token is no token.
    mailbox.append(_mail_to("pengaduan+aaaaaaaaaaaaaaaa@example.go.id", "warga@example.id",
                            f"Re: [{number}]", "Tebakan.", "m6"))
    mailbox.poll()

    def row(mid: str) -> InboundMessage:
        return InboundMessage.objects.get(provider_message_id=f"<{mid}@example.id>")

    assert row("m2").parse_status == ParseStatus.JOINED
    assert row("m5").parse_status == ParseStatus.JOINED
    bodies = list(complaint.events.filter(kind=EventKind.MESSAGE_IN).values_list("body",
                                                                                 flat=True))
    assert len(bodies) == 2
    assert bodies[0].endswith("Ini lampiran tambahan.") and bodies[1].endswith("Nomor izin 123.")
    for mid in ("m3", "m4", "m6"):
        assert row(mid).parse_status == ParseStatus.NEEDS_REVIEW, mid
        assert number in row(mid).error
    assert "bukan alamat pelapor" in row("m4").error
    assert "tanpa token balasan" in row("m3").error
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_to_a_settled_case_starts_a_new_one(office, mailbox, settings, officer):
    from aduan.complaints.services import complaint_answer

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mailbox.append(_mail("warga@example.id", "Izin PBG belum terbit", "Mohon dibantu.", "s1"))
    mailbox.poll()
    complaint = Complaint.objects.get()
    reply_to = _receipt(complaint)["Reply-To"]
    complaint_answer(complaint_id=complaint.pk, actor=officer, answer="Sudah terbit.")
    complaint.refresh_from_db()
    assert complaint.is_settled
    mailbox.append(_mail_to(reply_to, "warga@example.id", "Re: tanda terima", "Terima kasih.",
                            "s2"))
    mailbox.poll()
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_periodic_task_polls_the_configured_mailbox(office, mailbox, settings):
    from aduan.intake.tasks import poll_mailbox

    settings.ADUAN_IMAP_ENABLED = True
    settings.IMAP_HOST, settings.IMAP_PORT = mailbox.host, mailbox.port
    settings.IMAP_USER, settings.IMAP_PASSWORD = mailbox.user, mailbox.password
    settings.IMAP_USE_SSL, settings.IMAP_FOLDER = False, "INBOX"
    mailbox.append(_mail("warga@example.id", "Apotek", "Kapan izin apotek terbit?", "t1"))
    result = poll_mailbox.enqueue()
    assert result.return_value == {"fetched": 1, "new": 1, "duplicates": 0}
    assert Complaint.objects.get().description == "Kapan izin apotek terbit?"
    from django.conf import settings as conf

    assert ("aduan.intake.tasks.poll_mailbox", 120) in conf.ADUAN_PERIODIC_TASKS


@pytest.mark.django_db
def test_wrong_imap_password_fails_loudly_and_reads_nothing(office, mailbox):
    import imaplib

    from aduan.intake.adapters.email_imap import poll_mailbox

    with pytest.raises(imaplib.IMAP4.error):
        poll_mailbox(host=mailbox.host, port=mailbox.port, user=mailbox.user,
                     password="wrong", use_ssl=False, folder="INBOX")
    assert InboundMessage.objects.count() == 0


@pytest.mark.django_db
def test_poller_killed_right_after_storing_leaves_no_mail_received_for_good(office, mailbox,
                                                                            monkeypatch):
    """`kill -9` between storing a mail and processing it: the restarted poller re-reads the
    UID, finds the stored row still RECEIVED and processes it (a duplicate only by count)."""
    from aduan.intake.adapters import email_imap

    mailbox.append(_mail("warga@example.id", "Izin", "Izin belum terbit", "kill1"))

    class Killed(BaseException):
        """What the process sees of SIGKILL: nothing after this point runs."""

    def die(**_kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(email_imap, "inbound_process", die)
    with pytest.raises(Killed):
        mailbox.poll()
    stored = InboundMessage.objects.get()
    assert stored.parse_status == ParseStatus.RECEIVED
    assert mailbox.unseen() == 1  # not flagged, UID not recorded
    monkeypatch.undo()

    result = mailbox.poll()

    assert (result.fetched, result.new, result.duplicates) == (1, 0, 1)
    stored.refresh_from_db()
    assert stored.parse_status == ParseStatus.CREATED
    assert Complaint.objects.get().description == "Izin belum terbit"
    assert mailbox.unseen() == 0
    assert mailbox.poll().fetched == 0
