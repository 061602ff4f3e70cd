"""Identity minimisation on the channels (issue 11): anonymous intake by keyword on WhatsApp
and SMS, anonymous LAPOR! imports, and e-mail stored without the sender's IP address."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.intake.email_headers import minimise_headers
from aduan.intake.models import InboundMessage, ParseStatus
from aduan.intake.parsing import split_anonymous
from aduan.intake.tests.conftest import SMS_SECRET, fixture_bytes, wa_sign
from aduan.notifications.models import OutboxMessage

WHATSAPP = "/intake/whatsapp/"
NOTICE = "tanpa identitas (anonim)"


def wa_text(text: str, wamid: str, name: str = "Siti Rahmawati") -> bytes:
    payload = json.loads(fixture_bytes("whatsapp", "01_inbound_text.json"))
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0].update({"wa_id": "6281234567890", "profile": {"name": name}})
    value["messages"][0].update({"from": "6281234567890", "id": wamid,
                                 "text": {"body": text}})
    return json.dumps(payload).encode()


def post_wa(client, body: bytes) -> None:
    response = client.post(WHATSAPP, data=body, content_type="application/json",
                           headers={"X-Hub-Signature-256": wa_sign(body)})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("text, description", [
    ("ANONIM Izin praktik saya belum terbit", "Izin praktik saya belum terbit"),
    ("anonim: izin belum terbit\nsudah 3 bulan", "izin belum terbit\nsudah 3 bulan"),
    ("Anonim\nPungutan di loket", "Pungutan di loket"),
])
def test_whatsapp_anonim_keyword_keeps_only_the_number(client, office, channel_settings, text,
                                                       description):
    post_wa(client, wa_text(text, "wamid.anon1"))
    complaint = Complaint.objects.get()
    reporter = complaint.reporter
    assert reporter.is_anonymous and reporter.name == ""
    assert reporter.phone == "+6281234567890"  # WhatsApp answers on it: the channel forces it
    assert complaint.description == description
    message = InboundMessage.objects.get()
    assert message.sender_name == ""
    assert b"Siti Rahmawati" not in bytes(message.raw)
    assert b"6281234567890" in bytes(message.raw)
    # The reporter is told what is kept.
    receipt = OutboxMessage.objects.get(complaint=complaint)
    assert NOTICE in receipt.body


@pytest.mark.django_db
def test_structured_format_with_anonim_as_the_name(client, office, channel_settings):
    post_wa(client, wa_text("ANONIM#-#SIP Bidan#SIP saya belum terbit", "wamid.anon2"))
    complaint = Complaint.objects.get()
    assert complaint.reporter.is_anonymous and complaint.reporter.name == ""
    assert complaint.service_type.code == "sip_bidan"
    assert complaint.description == "SIP saya belum terbit"
    assert b"Siti Rahmawati" not in bytes(InboundMessage.objects.get().raw)


@pytest.mark.django_db
def test_later_messages_of_an_anonymous_reporter_keep_no_name(client, office,
                                                              channel_settings):
    post_wa(client, wa_text("ANONIM izin belum terbit", "wamid.anon3"))
    post_wa(client, wa_text("Ini nomor berkas saya 123", "wamid.anon4"))
    later = InboundMessage.objects.get(provider_message_id="wamid.anon4")
    assert later.parse_status == ParseStatus.JOINED
    assert later.sender_name == "" and b"Siti Rahmawati" not in bytes(later.raw)


@pytest.mark.django_db
def test_without_the_keyword_the_profile_name_is_kept(client, office, channel_settings):
    post_wa(client, wa_text("Anonimitas saya tolong dijaga", "wamid.named"))
    complaint = Complaint.objects.get()
    assert not complaint.reporter.is_anonymous
    assert complaint.reporter.name == "Siti Rahmawati"
    assert NOTICE not in OutboxMessage.objects.get(complaint=complaint).body


@pytest.mark.django_db
def test_sms_anonim_keyword(client, office, channel_settings):
    response = client.post("/intake/sms/", {"from": "0812-1111-2222", "id": "anon-sms",
                                            "text": "ANONIM OSS tidak bisa login",
                                            "secret": SMS_SECRET})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reporter.is_anonymous and complaint.reporter.name == ""
    assert complaint.reporter.phone == "+6281211112222"
    assert complaint.description == "OSS tidak bisa login"


@given(st.text(max_size=300))
@hsettings(max_examples=300, deadline=None)
def test_anonymous_keyword_split_never_fails_and_only_on_the_word(text):
    anonymous, rest = split_anonymous(text)
    if anonymous:
        assert text.strip().lower().startswith("anonim")
        assert len(rest) <= len(text)
    else:
        assert rest == text


def test_anonymous_keyword_runs_in_linear_time_on_adversarial_input():
    for text in (" " * 20_000 + "x", "anonim" + " " * 20_000 + "#", "ANONIM:" * 3000):
        split_anonymous(text)


# --- LAPOR! ---------------------------------------------------------------------------------

LAPOR_CSV = (
    b"id_lapor;tanggal;judul;isi;nama;telepon;email;anonim\n"
    b"LPR-9-1;2025-03-03;Pungli;Ada pungutan di loket.;Bambang Sutrisno;081277009988;"
    b"bambang@example.id;ya\n"
    b"LPR-9-2;2025-03-03;SIP;SIP belum terbit.;Sri Wahyuni;081277001122;;tidak\n"
)


@pytest.mark.django_db
def test_anonymous_lapor_import_keeps_no_name_in_the_stored_payloads(client, office,
                                                                       officer):
    login_verified(client, officer)
    upload = io.BytesIO(LAPOR_CSV)
    upload.name = "lapor.csv"
    page = client.post("/desk/saluran/lapor/impor/", {"file": upload},
                       follow=True).content.decode()
    assert "2 laporan dicatat" in page
    anonymous = Complaint.objects.get(lapor_tracking_id="LPR-9-1")
    assert anonymous.reporter.is_anonymous
    assert (anonymous.reporter.name, anonymous.reporter.phone, anonymous.reporter.email) == (
        "", "", "")
    for fragment in (b"Bambang", b"081277009988", b"bambang@example.id"):
        for row in InboundMessage.objects.all():
            assert fragment not in bytes(row.raw), row
            assert fragment.decode() not in (row.sender + row.sender_name)
    # The named reporter's row is kept as it came.
    named = InboundMessage.objects.get(provider_message_id="LPR-9-2")
    assert b"Sri Wahyuni" in bytes(named.raw)
    kept = InboundMessage.objects.get(provider="lapor-import", subject="lapor.csv")
    assert b"Sri Wahyuni" in bytes(kept.raw) and b"LPR-9-1" in bytes(kept.raw)


@pytest.mark.django_db
def test_anonymous_lapor_form_entry_keeps_no_name_or_contact(client, office, officer):
    login_verified(client, officer)
    client.post("/desk/saluran/lapor/", {
        "tracking_id": "LPR-9-3", "received_on": "2025-06-02", "classification": "complaint",
        "subject": "Pungli", "description": "Ada pungutan.", "reporter_name": "Dewi Lestari",
        "phone": "081234500000", "is_anonymous": "on"})
    complaint = Complaint.objects.get()
    assert (complaint.reporter.name, complaint.reporter.phone) == ("", "")
    raw = bytes(InboundMessage.objects.get().raw)
    assert b"Dewi" not in raw and b"081234500000" not in raw


# --- e-mail ---------------------------------------------------------------------------------

MAIL = (
    b"Return-Path: <warga@example.id>\r\n"
    b"Received: from [192.168.1.20] (host-203-0-113-7.example.net [203.0.113.7])\r\n"
    b"\tby mx.example.go.id with ESMTPSA id abc;\r\n\tMon, 2 Jun 2025 09:00:01 +0700\r\n"
    b"X-Originating-IP: [203.0.113.7]\r\n"
    b"Received-SPF: pass (example.go.id: 203.0.113.7 is permitted)\r\n"
    b"Authentication-Results: mx.example.go.id; spf=pass smtp.client-ip=203.0.113.7\r\n"
    b"From: Warga <warga@example.id>\r\nTo: pengaduan@example.go.id\r\n"
    b"Subject: Izin usaha\r\nMessage-ID: <ip-test@example.id>\r\n"
    b"Date: Mon, 2 Jun 2025 09:00:00 +0700\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Izin usaha saya belum terbit.\r\n"
)


@pytest.mark.django_db
def test_mail_is_stored_without_the_senders_ip_and_shown_without_it(office, mailbox, officer,
                                                                    client):
    mailbox.append(MAIL)
    mailbox.poll()
    message = InboundMessage.objects.get()
    assert message.parse_status == ParseStatus.CREATED
    raw = bytes(message.raw)
    assert b"203.0.113.7" not in raw and b"192.168.1.20" not in raw
    assert b"Received" not in raw and b"Return-Path" not in raw
    assert raw.endswith(b"Izin usaha saya belum terbit.\r\n")
    assert b"Subject: Izin usaha" in raw and b"Message-ID: <ip-test@example.id>" in raw
    login_verified(client, officer)
    page = client.get(f"/desk/saluran/{message.pk}/").content.decode()
    assert "203.0.113.7" not in page


@given(st.binary(max_size=2000))
@hsettings(max_examples=300, deadline=None)
def test_header_minimising_never_fails_and_keeps_the_body(raw):
    out = minimise_headers(raw)
    assert isinstance(out, bytes)
    head = out.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    for line in head.splitlines():
        assert not line.lower().startswith(b"received:")
        assert not line.lower().startswith(b"x-originating-ip:")


def test_header_minimising_keeps_threading_and_bounce_headers():
    mail = (b"Received: from a ([1.2.3.4])\nReturn-Path: <>\nTo: p+abc@x.id\n"
            b"Delivered-To: p+abcdefghijklmnop@x.id\nAuto-Submitted: auto-replied\n"
            b"Subject: =?utf-8?q?Hal?=\n folded\nX-Mailer: Foo\n\nbody\n\nmore\n")
    out = minimise_headers(mail)
    assert out == (b"Return-Path: <>\nTo: p+abc@x.id\nDelivered-To: p+abcdefghijklmnop@x.id\n"
                   b"Auto-Submitted: auto-replied\nSubject: =?utf-8?q?Hal?=\n folded\n"
                   b"\nbody\n\nmore\n")
