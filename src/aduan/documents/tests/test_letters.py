"""Closure letters: satisfaction statement, thank-you (proven), good name (not proven)."""

import datetime as dt

import pytest

from aduan.complaints import services
from aduan.documents.builders.base import date_id
from aduan.documents.tests.conftest import at, conclude, pdf_lines, pdf_text, value_of

pytestmark = pytest.mark.django_db

OMBUDSMAN = ("Apabila Saudara tidak puas atas penyelesaian pengaduan ini, Saudara dapat "
             "menyampaikan pengaduan kepada Ombudsman Republik Indonesia sesuai dengan "
             "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik.")


def flat(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def head_signature_checks(lines: list[str]) -> None:
    assert "MUHAMMAD THAIB, S.H. M.H" in lines
    assert "PEMBINA (IV/a)" in lines
    assert "NIP. 197809122010011003" in lines


def test_thank_you_letter_for_a_proven_finding(walk_in, officer, lead, unit_a_staff, fetch):
    case = conclude(walk_in(), officer=officer, lead=lead, unit_user=unit_a_staff, proven=True)
    response = fetch(officer, "thank-you-letter", case)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    text = flat(response.content)
    assert value_of(lines, "Hal") == "Ucapan Terima Kasih atas Pengaduan"
    assert "Bengkalis, 29 April 2025" in lines  # the date of the conclusion
    assert "Sdr. Siti Aminah" in lines and "Jl. Pramuka No. 5" in lines
    assert f"dengan nomor {case.register_number}" in text
    assert "pengaduan Saudara dinyatakan TERBUKTI" in text
    assert "Hasil pemeriksaan: Petugas terlambat memverifikasi berkas." in text
    assert "terima kasih atas kepedulian dan partisipasi Saudara" in text
    assert OMBUDSMAN in text
    head_signature_checks(lines)
    # The same case has no good-name letter: a clear Indonesian message, status 409.
    refused = fetch(officer, "good-name-letter", case)
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "Dokumen belum tersedia" in page
    assert "Surat pemulihan nama baik hanya untuk pengaduan yang disimpulkan tidak terbukti" \
        in page
    assert case.register_number in page
    assert f'href="/desk/pengaduan/{case.pk}/"' in page


def test_good_name_letter_for_a_finding_not_proven(walk_in, officer, lead, unit_a_staff,
                                                   fetch):
    case = conclude(walk_in(), officer=officer, lead=lead, unit_user=unit_a_staff,
                    proven=False, close=False)
    response = fetch(officer, "good-name-letter", case)
    assert response.status_code == 200
    lines = pdf_lines(response.content)
    text = flat(response.content)
    assert "Pemberitahuan Hasil Pemeriksaan dan Pemulihan Nama Baik" in text
    assert "pengaduan Saudara dinyatakan TIDAK TERBUKTI" in text
    assert ("nama baik Bidang Perizinan A Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
            "Pintu Kabupaten Bengkalis selaku pihak yang diadukan dipulihkan") in text
    assert "Hasil pemeriksaan: Berkas diverifikasi sesuai standar pelayanan." in text
    assert OMBUDSMAN in text
    assert "Tembusan:" in lines
    head_signature_checks(lines)
    refused = fetch(officer, "thank-you-letter", case)
    assert refused.status_code == 409
    assert "hanya untuk pengaduan yang disimpulkan terbukti" in refused.content.decode()
    # Reopened (the reporter is not satisfied): the conclusion no longer stands.
    services.complaint_reopen(complaint_id=case.pk, actor=None, reason="Saya tidak puas.")
    assert fetch(officer, "good-name-letter", case).status_code == 409


def test_letters_need_a_conclusion(seeded, officer, fetch):
    case = seeded[23]  # still in process
    for name in ("thank-you-letter", "good-name-letter", "satisfaction-statement"):
        response = fetch(officer, name, case)
        assert response.status_code == 409, name
        assert "Dokumen belum tersedia" in response.content.decode()
    page = fetch(officer, "satisfaction-statement", case).content.decode()
    assert "Surat pernyataan puas baru dapat dicetak setelah pelapor menerima tanggapan" in page
    assert "Ditindaklanjuti" in page


def test_satisfaction_statement_after_the_response(walk_in, officer, fetch):
    case = walk_in()
    services.complaint_verify(complaint_id=case.pk, actor=officer, checklist=services.Checklist(
        ktp_seen=True, chronology_present=True), at=at(case.received_on, 10))
    responded_day = case.received_on + dt.timedelta(days=1)
    services.complaint_respond(complaint_id=case.pk, actor=officer, at=at(responded_day, 10),
                               response="Berkas Saudara sudah diverifikasi.")
    response = fetch(officer, "satisfaction-statement", case)
    assert response.status_code == 200
    lines = pdf_lines(response.content)
    text = flat(response.content)
    assert "SURAT PERNYATAAN PUAS" in lines
    assert value_of(lines, "Nama") == "Siti Aminah"
    assert value_of(lines, "NIK") == "1403024107900001"
    assert value_of(lines, "Nomor pengaduan") == case.register_number
    assert value_of(lines, "Tanggal pengaduan") == "28 April 2025"
    assert "dengan ini menyatakan PUAS atas penanganan dan penyelesaian pengaduan" in text
    assert f"tanggal {date_id(responded_day)}" in text
    assert "Mengetahui," in lines and "Yang menyatakan," in lines
    assert "SITI AMINAH" in lines
    assert any(line.startswith("Bengkalis, ....") for line in lines)  # signed by hand
    head_signature_checks(lines)
    # Once the reporter confirms, the statement carries that date.
    confirmed_day = responded_day + dt.timedelta(days=1)
    services.complaint_confirm_satisfaction(complaint_id=case.pk, at=at(confirmed_day, 9))
    lines = pdf_lines(fetch(officer, "satisfaction-statement", case).content)
    assert f"Bengkalis, {date_id(confirmed_day)}" in lines


def test_satisfaction_statement_for_an_answered_seed_case(seeded, officer, fetch):
    case = seeded[31]
    response = fetch(officer, "satisfaction-statement", case)
    assert response.status_code == 200
    assert "surat-pernyataan-puas-2025-31.pdf" in response["Content-Disposition"]
    lines = pdf_lines(response.content)
    assert value_of(lines, "Nama") == "Irfitri"
    assert value_of(lines, "Perihal") == case.subject


def test_print_menu_offers_only_the_documents_that_make_sense(walk_in, officer, lead,
                                                             unit_a_staff):
    from django.template.loader import render_to_string

    from aduan.documents.selectors import documents_available

    case = walk_in()
    assert [d.name for d in documents_available(case)] == ["complaint-form", "follow-up-form"]
    case = conclude(case, officer=officer, lead=lead, unit_user=unit_a_staff, proven=True)
    links = documents_available(case)
    assert [d.name for d in links] == ["complaint-form", "follow-up-form",
                                       "satisfaction-statement", "thank-you-letter"]
    assert links[3].url == f"/desk/dokumen/{case.pk}/surat-ucapan-terima-kasih.pdf"
    html = render_to_string("documents/_case_documents.html", {"documents": links})
    assert f'href="/desk/dokumen/{case.pk}/formulir-tindak-lanjut.pdf"' in html
    assert "Surat Ucapan Terima Kasih" in html and "Surat Pemulihan Nama Baik" not in html
