"""Manual recording, the register book, and the staff account pages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from aduan.accounts.testing import totp_code_unused, totp_device_for
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
RECORD = reverse("desk:complaint-record")
REGISTER = reverse("desk:register")


def _record_data(office, **overrides) -> dict:
    data = {
        "channel": office.channels.get(code="meja_pengaduan").pk,
        "received_at": "2025-05-06T10:15", "classification": "complaint",
        "subject": "SIP bidan belum terbit",
        "description": "Saya mengajukan SIP bidan tiga minggu lalu dan belum ada kabar.",
        "reporter_name": "Dewi Lestari", "reporter_nik": "1403024507900003",
        "reporter_address": "Jl. Antara, Bengkalis", "reporter_occupation": "Bidan",
        "reporter_phone": "0812 6861 0005", "reporter_email": "", "consent": "on",
    }
    data.update(overrides)
    return data


def test_officer_records_walk_in_complaint_with_its_channel(client_for, office, officer):
    response = client_for("petugas").post(RECORD, _record_data(office))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:complaint-detail",
                                           kwargs={"complaint_id": complaint.pk})
    assert complaint.channel.code == "meja_pengaduan"
    assert complaint.created_by == officer
    assert complaint.received_on == dt.date(2025, 5, 6)
    assert complaint.reporter.name == "Dewi Lestari"
    assert complaint.reporter.nik == "1403024507900003"
    assert complaint.reporter.phone == "+6281268610005"


def test_invalid_nik_is_refused_and_nothing_typed_is_lost(client_for, office):
    response = client_for("petugas").post(RECORD, _record_data(office,
                                                               reporter_nik="1234"))
    assert response.status_code == 422
    assert "NIK harus terdiri dari 16 digit angka." in response.text
    assert "Saya mengajukan SIP bidan tiga minggu lalu" in response.text
    assert 'value="Dewi Lestari"' in response.text
    assert not Complaint.objects.exists()


def test_missing_name_and_contact_are_explained(client_for, office):
    response = client_for("petugas").post(RECORD, _record_data(
        office, reporter_name="", reporter_phone="", reporter_address=""))
    assert response.status_code == 422
    assert "tandai pengaduan sebagai anonim" in response.text
    assert "paling sedikit satu kontak" in response.text
    response = client_for("petugas").post(RECORD, _record_data(
        office, reporter_name="", reporter_nik="", reporter_phone="", reporter_address="",
        is_anonymous="on"))
    assert response.status_code == 302
    assert Complaint.objects.get().reporter.is_anonymous


def test_future_date_is_refused_by_the_service(client_for, office):
    response = client_for("petugas").post(RECORD, _record_data(
        office, received_at="2099-01-01T08:00"))
    assert response.status_code == 422
    assert "tidak boleh di masa depan" in response.text


def test_only_the_complaint_team_records(client_for):
    assert client_for("perizinan_a").get(RECORD).status_code == 403
    assert client_for("kadis").get(RECORD).status_code == 403
    assert client_for("petugas").get(RECORD).status_code == 200


def test_register_book_lists_period_with_spec_columns(client_for, office):
    inside = register_complaint(office, received=dt.datetime(2025, 3, 10, 9, tzinfo=JAKARTA),
                                subject="Izin penelitian",
                                reporter=ReporterInput(name="Budi Santoso", address="Duri",
                                                       occupation="Mahasiswa",
                                                       phone="081200001111"))
    outside = register_complaint(office, received=dt.datetime(2025, 5, 10, 9, tzinfo=JAKARTA),
                                 subject="Di luar periode")
    response = client_for("petugas").get(REGISTER, {"start": "2025-03-01",
                                                    "end": "2025-03-31"})
    html = response.text
    for header in ("Bulan", "Tanggal surat pengaduan", "Isi pengaduan", "Ket", "Nama",
                   "Alamat", "Pekerjaan"):
        assert f">{header}<" in html
    assert inside.register_number in html and "Budi Santoso" in html and "Mahasiswa" in html
    assert outside.register_number not in html
    assert '<time datetime="2025-03-10">10 Mar 2025</time>' in html
    assert IdentityAccess.objects.filter(complaint=inside, purpose="register book").exists()


def test_register_book_masks_confidential_reporters_for_unit_staff(client_for,
                                                                    disposed_to_a):
    day = disposed_to_a.received_on.isoformat()
    response = client_for("perizinan_a").get(REGISTER, {"start": day, "end": day})
    assert disposed_to_a.register_number in response.text
    assert "Fathul Jannah" not in response.text
    assert "(dirahasiakan)" in response.text and "F*****" not in response.text
    response = client_for("perizinan_b").get(REGISTER, {"start": day, "end": day})
    assert disposed_to_a.register_number not in response.text


def test_register_book_refuses_reversed_period(client_for):
    response = client_for("petugas").get(REGISTER, {"start": "2025-03-31",
                                                    "end": "2025-03-01"})
    assert "tidak boleh sebelum tanggal awal" in response.text


def test_login_logout_and_password_change(users):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "petugas",
                                                       "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    # The password alone does not open the desk: the second step asks for the code.
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
    device = totp_device_for(users["petugas"])
    response = client.post(reverse("accounts:two-factor-verify"),
                           {"code": totp_code_unused(device), "next": "/desk/"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    response = client.post(reverse("accounts:password-change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Bengkalis-2025-aman",
        "new_password2": "Bengkalis-2025-aman"})
    assert response.status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/desk/").status_code == 302
    assert Client().post(reverse("accounts:login"), {
        "username": "petugas", "password": "Bengkalis-2025-aman"}).status_code == 302


def test_failed_logins_are_throttled_with_the_same_answer(users):
    client = Client(REMOTE_ADDR="10.0.0.7")
    wrong = client.post(reverse("accounts:login"), {"username": "ketua", "password": "salah"})
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), {"username": "ketua", "password": "salah"})
    response = client.post(reverse("accounts:login"), {"username": "ketua",
                                                       "password": DEMO_PASSWORD})
    assert response.status_code == wrong.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.text
    assert "_auth_user_id" not in client.session


def test_sessions_expire(users):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "petugas", "password": DEMO_PASSWORD})
    assert 0 < client.session.get_expiry_age() <= 12 * 60 * 60
    assert client.session.get_expire_at_browser_close()


def test_language_switch_to_english_and_back(client_for, office):
    complaint = register_complaint(office)
    client = client_for("petugas")
    assert "Kotak masuk" in client.get("/desk/").text
    response = client.post(reverse("set_language"), {"language": "en", "next": "/desk/"})
    assert response.status_code == 302
    html = client.get("/desk/").text
    assert "<h1>Inbox</h1>" in html and "Record a complaint" in html
    html = client.get(reverse("desk:complaint-detail",
                              kwargs={"complaint_id": complaint.pk})).text
    assert "Timeline" in html and "Complaint received" in html and "Verify" in html
    client.post(reverse("set_language"), {"language": "id", "next": "/desk/"})
    assert "Kotak masuk" in client.get("/desk/").text


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_recording_keeps_scanned_attachments_checked_by_content(client_for, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    letter = SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")
    response = client_for("petugas").post(RECORD, {**_record_data(office),
                                                   "attachments": [letter]})
    assert response.status_code == 302
    attachment = Complaint.objects.get().attachments.get()
    assert attachment.original_name == "surat.pdf"
    assert attachment.content_type == "application/pdf"
    download = client_for("petugas").get(reverse(
        "desk:attachment-download",
        kwargs={"complaint_id": attachment.complaint_id, "attachment_id": attachment.pk}))
    assert b"".join(download.streaming_content) == PDF
    assert client_for("perizinan_b").get(reverse(
        "desk:attachment-download",
        kwargs={"complaint_id": attachment.complaint_id,
                "attachment_id": attachment.pk})).status_code == 404


def test_a_disguised_file_is_refused_and_nothing_is_recorded(client_for, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf at all",
                              content_type="application/pdf")
    response = client_for("petugas").post(RECORD, {**_record_data(office),
                                                   "attachments": [fake]})
    assert response.status_code == 422
    assert "tidak diterima" in response.text
    assert "Saya mengajukan SIP bidan tiga minggu lalu" in response.text
    assert not Complaint.objects.exists()
