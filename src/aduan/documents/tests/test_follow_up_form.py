"""Formulir Tindak Lanjut Pengaduan (Gambar 3): sections A–H from the case's timeline."""

import pytest

from aduan.complaints import services
from aduan.documents.builders.base import date_id
from aduan.documents.tests.conftest import at, is_checked, pdf_lines, pdf_text, value_of

pytestmark = pytest.mark.django_db


def test_case_23_fills_every_section_from_its_timeline(seeded, officer, fetch):
    case = seeded[23]
    response = fetch(officer, "follow-up-form", case)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    text = pdf_text(response.content)
    assert "FORMULIR TINDAK LANJUT PENGADUAN" in lines
    # A. Identity.
    assert "A. IDENTITAS PELAPOR" in lines
    assert value_of(lines, "Nama") == "DENNY SAPUTRA"
    assert value_of(lines, "Alamat") == "Jl. Jend. Sudirman, Bantan air, kec. Bantan"
    assert value_of(lines, "No Hp") == "0813-7802-5035"
    assert value_of(lines, "Saluran") == "Meja Pengaduan/Formulir Pengaduan"
    # B. In person, not by power of attorney.
    assert is_checked(lines, "Pengaduan Datang Langsung")
    assert not is_checked(lines, "Jika Tidak, Menggantikan Surat Kuasa")
    # C. The VERIFIED event's checklist: KTP and chronology seen, KK not; within authority.
    assert is_checked(lines, "KTP")
    assert not is_checked(lines, "KK")
    assert is_checked(lines, "Kronologi Pengaduan")
    assert is_checked(lines, "Kewenangan")
    assert not is_checked(lines, "Bukan Kewenangan")
    assert is_checked(lines, "Memenuhi Syarat untuk ditindak lanjut")
    assert not is_checked(lines, "Tidak Memenuhi Syarat untuk ditindak lanjut")
    assert "Surat Kuasa" not in lines
    # D. Chronology is the description.
    assert "Pendaftaran SIP Teknisi Transfusi Darah tetapi belum ada di E-Pinter." in text
    # E. Proposal by the officer, disposition by the team lead.
    assert ("29 April 2025 · Retno Ayu Saraswati · Usulan disposisi ke Bidang Perizinan A"
            in lines)
    assert ("29 April 2025 · Ketua Tim Pengaduan · Didisposisikan ke Bidang Perizinan A"
            in lines)
    assert "Paraf Petugas Pengaduan :" in lines and "Paraf Ketua Tim :" in lines
    # F. The unit's clarification with name and date.
    assert "F. KLARIFIKASI BIDANG TEKNIS" in lines
    assert "1. SIP Teknisi Transfusi Darah belum dilimpahkan kepada DPMPTSP" in text
    assert "Tanggal : 29 April 2025" in lines
    assert "Nama : Staf Perizinan A" in lines
    # G. Followed up (the unit coordinates with the health office), not concluded.
    assert is_checked(lines, "Pengaduan sudah ditindak lanjut")
    assert not is_checked(lines, "Pengaduan belum ditindak lanjut")
    assert "Berkoordinasi dengan Dinas Kesehatan" in text
    assert not any("· Kesimpulan" in line for line in lines)
    # H. Still in process (the seed's "Sedang dalam proses").
    assert "Belum ditutup (status: Ditindaklanjuti)." in lines
    # Signatures.
    assert "PETUGAS PENGADUAN" in lines and "KETUA TIM" in lines
    assert "RETNO AYU SARASWATI" in lines and "KETUA TIM PENGADUAN" in lines
    assert "Bengkalis, 29 April 2025" in lines


def test_referred_case_checks_not_our_authority_and_prints_the_closure(seeded, officer,
                                                                      fetch):
    case = seeded[24]  # KK at the MPP: referred to Disdukcapil
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    assert is_checked(lines, "Bukan Kewenangan")
    assert not is_checked(lines, "Kewenangan")
    assert is_checked(lines, "Tidak Memenuhi Syarat untuk ditindak lanjut")
    assert is_checked(lines, "Pengaduan sudah ditindak lanjut")
    assert any(line.endswith("Dirujuk ke instansi lain") for line in lines)
    assert "Diselesaikan dalam 1 hari kerja." in lines


def test_concluded_and_closed_case_prints_finding_and_closure(seeded, officer, fetch):
    case = next(c for c in seeded.values() if c.finding == "proven")
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    assert any("Kesimpulan: Terbukti" in line for line in lines)
    assert any(line.endswith("Tanggapan kepada pelapor") for line in lines)
    assert any(f"Tindak lanjut: Rapat intern {date_id(case.received_on)}" in line
               for line in lines)
    assert any(line.endswith("· Ditutup") for line in lines)
    assert not any(line.startswith("Belum ditutup") for line in lines)


def test_unverified_case_has_no_box_checked_and_is_not_followed_up(walk_in, officer, fetch):
    case = walk_in()
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    for label in ("KTP", "KK", "Kronologi Pengaduan", "Kewenangan", "Bukan Kewenangan",
                  "Memenuhi Syarat untuk ditindak lanjut",
                  "Tidak Memenuhi Syarat untuk ditindak lanjut",
                  "Pengaduan sudah ditindak lanjut"):
        assert not is_checked(lines, label), label
    assert "Belum diverifikasi." in lines
    assert is_checked(lines, "Pengaduan belum ditindak lanjut")
    assert "Belum ditutup (status: Diterima)." in lines


def test_complaint_by_proxy_checks_the_power_of_attorney(walk_in, officer, fetch):
    case = walk_in(is_by_proxy=True)
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=services.Checklist(
        ktp_seen=True, kk_seen=True, power_of_attorney_seen=True, chronology_present=True),
        at=at(case.received_on, 11))
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    assert not is_checked(lines, "Pengaduan Datang Langsung")
    assert is_checked(lines, "Jika Tidak, Menggantikan Surat Kuasa")
    assert is_checked(lines, "KK") and is_checked(lines, "Surat Kuasa")


def test_incomplete_case_checks_does_not_meet_the_requirements(walk_in, officer, fetch):
    case = walk_in()
    services.complaint_verify(
        complaint_id=case.pk, actor=officer, note="Lampirkan fotokopi KTP.",
        checklist=services.Checklist(chronology_present=True, meets_requirements=False),
        at=at(case.received_on, 11))
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    assert is_checked(lines, "Kronologi Pengaduan") and not is_checked(lines, "KTP")
    assert is_checked(lines, "Kewenangan")
    assert is_checked(lines, "Tidak Memenuhi Syarat untuk ditindak lanjut")
    assert not is_checked(lines, "Memenuhi Syarat untuk ditindak lanjut")


def test_the_latest_verification_decides_section_c(walk_in, officer, fetch):
    case = walk_in()
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=services.Checklist(
        ktp_seen=True, chronology_present=True), at=at(case.received_on, 10))
    services.complaint_request_completion(complaint_id=case.pk, actor=officer,
                                          note="Lampirkan kartu keluarga.",
                                          at=at(case.received_on, 11))
    lines = pdf_lines(fetch(officer, "follow-up-form", case).content)
    assert is_checked(lines, "Tidak Memenuhi Syarat untuk ditindak lanjut")
    assert not is_checked(lines, "Memenuhi Syarat untuk ditindak lanjut")
