"""The web form: a valid submission registers through the procedure; every bad input gets a
clear Indonesian message, no server error, and keeps what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aduan.complaints.models import Attachment, Complaint, EventKind
from aduan.portal.tests.conftest import DOCX, ELF, EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db

URL = reverse("portal:submit")


def test_form_renders_with_challenge_and_honeypot(client, portal_office):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="form_token"' in html
    assert 'name="website"' in html
    assert "Persetujuan" not in html  # no errors before submitting


def test_valid_submission_registers_on_the_web_channel_and_shows_the_receipt(
        client, portal_office, form_data):
    response = client.post(URL, form_data(nik="1403021104907328",
                                          attachments=[upload("bukti.pdf", PDF),
                                                       upload("foto.png", PNG, "image/png")]))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel.code == "website"
    assert complaint.reporter.nik == "1403021104907328"
    assert complaint.reporter.phone == "+6285156791234"
    assert complaint.reporter.consent_at is not None
    assert complaint.events.get().kind == EventKind.RECEIVED
    types = sorted(a.content_type for a in complaint.attachments.all())
    assert types == ["application/pdf", "image/png"]
    attachment = complaint.attachments.get(content_type="application/pdf")
    assert attachment.original_name == "bukti.pdf"
    assert len(attachment.sha256) == 64
    assert attachment.file.read() == PDF
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert complaint.register_number in html
    assert complaint.tracking_code in html


def test_docx_is_accepted_by_its_content_types_part(client, portal_office, form_data):
    response = client.post(URL, form_data(attachments=[upload("surat.docx", DOCX)]))
    assert response.status_code == 302
    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("nik", "12345", "NIK harus terdiri dari 16 digit angka."),
    ("nik", "0003021104907328", "Kode provinsi pada NIK tidak dikenal."),
    ("nik", "1403023204907328", "Tanggal lahir pada NIK tidak valid."),
    ("phone", "12", "Nomor telepon tidak valid."),
    ("phone", "0812-abc", "Nomor telepon tidak valid."),
    ("email", "bukan-email", "Alamat e-mail tidak valid."),
])
def test_invalid_identity_fields_get_a_clear_message_and_keep_the_form(
        client, portal_office, form_data, field, value, message):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Saya ingin melihat SIP saya sudah terdaftar atau belum." in html
    assert 'value="Rahmi Ayunda"' in html
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("content", [EXE, ELF, b"just some text, not a document\n"])
def test_a_file_that_is_not_a_document_is_refused_whatever_its_name(
        client, portal_office, form_data, content):
    response = client.post(URL, form_data(attachments=[upload("laporan.pdf", content)]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Jenis berkas \u201claporan.pdf\u201d tidak diterima" in html
    assert "Pilih lagi berkas berikut" in html
    assert "Saya ingin melihat SIP saya sudah terdaftar atau belum." in html
    assert Complaint.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_50_mb_file_is_refused_cleanly_and_the_form_is_kept(client, portal_office, form_data):
    big = upload("scan.pdf", PDF + b"\0" * (50 * 1024 * 1024))
    response = client.post(URL, form_data(attachments=[big]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Berkas \u201cscan.pdf\u201d terlalu besar (maksimal 10 MB)." in html
    assert "Pilih lagi berkas berikut" in html
    assert 'value="Rahmi Ayunda"' in html
    assert Complaint.objects.count() == 0


def test_a_100000_character_description_is_refused_with_the_limit(
        client, portal_office, form_data):
    response = client.post(URL, form_data(description="a" * 100_000))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Isi pengaduan terlalu panjang: 100.000 karakter, maksimal 20.000 karakter." in html
    assert 'value="Rahmi Ayunda"' in html
    assert Complaint.objects.count() == 0


def test_missing_consent_description_and_contact_are_explained(client, portal_office, form_data):
    response = client.post(URL, form_data(consent=None, description="", phone="", email="",
                                          name=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Persetujuan pemrosesan data pribadi diperlukan." in html
    assert "Isi pengaduan wajib diisi." in html
    assert "Nama wajib diisi, atau pilih kirim tanpa identitas." in html
    assert "Isi nomor HP atau e-mail" in html


def test_anonymous_submission_keeps_no_identity(client, portal_office, form_data):
    response = client.post(URL, form_data(is_anonymous="on", name="Tidak Disimpan",
                                          nik="1403021104907328", address="Rahasia"))
    assert response.status_code == 302
    reporter = Complaint.objects.get().reporter
    assert reporter.is_anonymous and reporter.is_confidential
    assert reporter.name == "" and reporter.address == "" and reporter.nik == ""
    assert reporter.email == "ayunda@example.org"


def test_honeypot_refuses_bots(client, portal_office, form_data):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 422
    assert "Pengaduan tidak dapat diterima" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_form_posted_at_once_or_without_token_is_refused(client, portal_office, form_data,
                                                            settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 3
    from aduan.portal import throttle

    for token in (throttle.form_token(), "forged", ""):
        response = client.post(URL, form_data(form_token=token))
        assert response.status_code == 422
        assert "Formulir terkirim terlalu cepat atau sudah kedaluwarsa" in (
            response.content.decode())
    assert Complaint.objects.count() == 0


def test_submissions_are_rate_limited_per_address(client, portal_office, form_data, settings):
    settings.ADUAN_PORTAL_SUBMIT_LIMIT = (2, 3600)
    assert client.post(URL, form_data()).status_code == 302
    assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Terlalu banyak pengaduan dari alamat atau kontak Anda" in response.content.decode()
    other = client.post(URL, form_data(), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert Complaint.objects.count() == 3


def test_receipt_link_is_signed(client, portal_office):
    assert client.get(reverse("portal:submitted") + "?r=1").status_code == 404
    assert client.get(reverse("portal:submitted")).status_code == 404


def test_a_redisplayed_form_keeps_its_valid_challenge_token(client, portal_office, form_data):
    data = form_data(phone="12")
    response = client.post(URL, data)
    assert response.status_code == 422
    assert f'value="{data["form_token"]}"' in response.content.decode()
    fixed = client.post(URL, {**data, "phone": "081268610005"})
    assert fixed.status_code == 302
