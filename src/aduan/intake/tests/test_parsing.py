"""The structured `nama#perusahaan#jenis perizinan#isi` format and its helpers."""

import pytest

from aduan.intake.parsing import (
    clean_display_name,
    html_to_text,
    match_service_type,
    parse_structured,
    register_number_regex,
)


def test_structured_message_is_split_into_fields():
    parsed = parse_structured("Siti Aminah#CV Maju Jaya#SIP Bidan#Kapan SIP saya terbit?")
    assert parsed.is_structured
    assert parsed.reporter_name == "Siti Aminah"
    assert parsed.company_name == "CV Maju Jaya"
    assert parsed.service_text == "SIP Bidan"
    assert parsed.description == "Kapan SIP saya terbit?"


def test_complaint_text_may_contain_hashes():
    parsed = parse_structured("Budi#-#PBG#Nomor #12 belum keluar #urgent")
    assert parsed.is_structured
    assert parsed.company_name == ""
    assert parsed.description == "Nomor #12 belum keluar #urgent"


@pytest.mark.parametrize("text, problem", [
    ("Halo, izin saya belum terbit", ""),
    ("Budi#PBG#izin belum keluar", "field_count"),
    ("#CV A#PBG#isi", "empty_field"),
    ("Budi#CV A##isi", "empty_field"),
    ("Budi#CV A#PBG#   ", "empty_field"),
    ("x" * 150 + "#CV#PBG#isi", "field_too_long"),
])
def test_anything_else_is_free_text_and_keeps_every_character(text, problem):
    parsed = parse_structured(text)
    assert not parsed.is_structured
    assert parsed.description == text.strip()
    assert parsed.problem == problem


@pytest.mark.parametrize("text, code", [
    ("SIP Bidan", "sip_bidan"),
    ("sip bidan", "sip_bidan"),
    ("Izin Apotik", "apotek"),
    ("oss", "oss_nib"),
    ("PBG/IMB", "pbg_imb"),
    ("perpanjangan SIP perawat", "sip_perawat"),
])
def test_service_type_is_matched_by_name_or_keyword(office, text, code):
    assert match_service_type(office, text).code == code


def test_unknown_service_type_matches_nothing(office):
    assert match_service_type(office, "izin reklame") is None
    assert match_service_type(office, "") is None


def test_html_to_text_drops_markup_and_scripts():
    text = html_to_text("<p>Halo <b>petugas</b></p><script>alert(1)</script>"
                        "<div>Baris&nbsp;dua &amp; tiga</div><a href='https://x.id/a'>tautan</a>")
    assert "<" not in text and "alert" not in text
    assert text.splitlines()[0] == "Halo petugas"
    assert "Baris dua & tiga" in text
    assert "tautan (https://x.id/a)" in text


def test_register_number_is_found_in_a_reply_subject():
    regex = register_number_regex("500.16.7.2/{seq}/DPMPTSP/{year}")
    found = regex.search("Re: [500.16.7.2/23/DPMPTSP/2025] Pengaduan diterima")
    assert found.group(0) == "500.16.7.2/23/DPMPTSP/2025"
    assert regex.search("Re: 500.16.7.2/xx/DPMPTSP/2025") is None


def test_attachment_names_are_for_display_only():
    assert clean_display_name("../../etc/passwd") == "passwd"
    assert clean_display_name("C:\\Users\\a\\surat.pdf") == "surat.pdf"
    assert clean_display_name("a\x00b\r\n.pdf") == "ab.pdf"
    assert clean_display_name("") == "lampiran"
