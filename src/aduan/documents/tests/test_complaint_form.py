"""Formulir Pengaduan Masyarakat (Gambar 2): filled for seed case 23 and blank."""

import pytest

from aduan.complaints.models import IdentityAccess
from aduan.documents.tests.conftest import pdf_lines, pdf_text, value_of

pytestmark = pytest.mark.django_db


def test_filled_form_for_case_23_prints_the_reporter_and_the_complaint(seeded, officer, fetch):
    case = seeded[23]
    response = fetch(officer, "complaint-form", case)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "formulir-pengaduan-2025-23.pdf" in response["Content-Disposition"]
    lines = pdf_lines(response.content)
    assert "PEMERINTAH KABUPATEN BENGKALIS" in lines
    assert "FORMULIR PENGADUAN MASYARAKAT" in lines
    assert f"NO : {case.register_number}" in lines
    assert case.register_number == "500.16.7.2/23/DPMPTSP/2025"
    assert value_of(lines, "Nama") == "DENNY SAPUTRA"
    assert value_of(lines, "Nomor KTP") == "1403021104907328"
    assert value_of(lines, "Alamat lengkap") == "Jl. Jend. Sudirman, Bantan air, kec. Bantan"
    assert value_of(lines, "Telepon") == "0813-7802-5035"
    assert value_of(lines, "E-mail") == "-"
    assert value_of(lines, "Subjek pengaduan") == case.subject
    assert value_of(lines, "Uraian Pengaduan").startswith("Pendaftaran SIP Teknisi Transfusi")
    # Signatures: the officer who recorded it, the reporter, place and date in Indonesian.
    assert "Yang menerima pengaduan" in lines
    assert "Yang melapor pengaduan" in lines
    assert "Bengkalis, 29 April 2025" in lines
    assert "RETNO AYU SARASWATI" in lines
    assert lines.count("DENNY SAPUTRA") == 2
    text = pdf_text(response.content)
    assert "1. Data yang kami isikan lengkap dan benar" in text
    assert ("2. Hal yang diadukan sesuai dengan substansi Dinas Penanaman Modal dan Pelayanan "
            "Terpadu Satu Pintu Kabupaten") in text
    assert "3. Pengaduan akan ditindaklanjuti jika di isi secara lengkap dan benar." in text
    # The print of the identity is logged (SPEC §6).
    log = IdentityAccess.objects.get(complaint=case, user=officer)
    assert log.purpose == "print"


def test_blank_form_has_lines_to_write_on_and_no_personal_data(seeded, officer, fetch):
    response = fetch(officer, "complaint-form-blank")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    assert "FORMULIR PENGADUAN MASYARAKAT" in lines
    for label in ("Nama", "Nomor KTP", "Alamat lengkap", "Telepon", "E-mail",
                  "Subjek pengaduan"):
        assert value_of(lines, label).startswith("....")
    assert "Uraian Pengaduan :" in lines
    assert sum(1 for line in lines if set(line) == {"."}) >= 9
    assert "Yang menerima pengaduan" in lines and "Yang melapor pengaduan" in lines
    text = pdf_text(response.content)
    assert "DENNY" not in text and "RETNO" not in text
    assert "3. Pengaduan akan ditindaklanjuti" in text
    assert not IdentityAccess.objects.exists()


def test_form_of_a_web_complaint_leaves_the_receiver_to_sign_by_hand(seeded, officer, fetch):
    case = seeded[31]  # received through the website: no officer recorded it
    assert case.created_by is None
    lines = pdf_lines(fetch(officer, "complaint-form", case).content)
    assert value_of(lines, "Nama") == "Irfitri"
    assert value_of(lines, "E-mail") == "irfitri03@gmail.com"
    assert "Bengkalis, 5 Juni 2025" in lines
    assert any(line.startswith("(....") for line in lines)
