"""Redaction of personal data in stored text (retention, UU 27/2022)."""

import pytest

from aduan.core.redaction import REDACTED, Redactor

X = REDACTED


@pytest.mark.parametrize(("text", "expected"), [
    ("hp 081234567890", f"hp {X}"),
    ("hp 0812-3456-7890.", f"hp {X}."),
    ("wa +62 812 3456 7890 ya", f"wa {X} ya"),
    ("6281312345678", X),
    ("NIK 1403024104900001", f"NIK {X}"),
    ("NIK 1403 0241 0490 0001", f"NIK {X}"),
    ("surat ke Ayunda.Rahmi90@gmail.com", f"surat ke {X}"),
    # Other numbers that look like identity numbers: NIB, NPWP, BPJS, passport, account.
    ("NIB 1234567890123 terbit 2025", f"NIB {X} terbit 2025"),
    ("NPWP 01.234.567.8-901.000", f"NPWP {X}"),
    ("BPJS 0001234567891, paspor A1234567", f"BPJS {X}, paspor {X}"),
    ("rek. 123-456-789-0 a.n. saya", f"rek. {X} a.n. saya"),
    ("No.1234567890/KTP", f"No.{X}/KTP"),
])
def test_shapes_of_personal_data_are_removed(text, expected):
    assert Redactor()(text) == expected


@pytest.mark.parametrize("text", [
    "Nomor 500.16.7.2/12/DPMPTSP/2025 tanggal 02-07-2025",
    "biaya Rp 1.500.000.000 dan Rp 250.000",
    "tanggal 2025-07-02 10:30, pukul 08.00",
    "versi 1.2.3, kode pos 28711, tahun 2024 2025",
    "sudah 3 minggu, 20 hari kerja",
])
def test_numbers_that_are_not_personal_stay(text):
    assert Redactor()(text) == text


def test_known_values_and_name_parts_are_removed_whole_words_only():
    redact = Redactor(values=["Jl. Sudirman No. 5 Bengkalis", "Apotek Sehat Sentosa", "ab"],
                      names=["Siti Aminah"])
    assert redact("Saya SITI aminah dari Apotek Sehat  Sentosa, Jl. Sudirman No. 5 Bengkalis") \
        == f"Saya {X} dari {X}, {X}"
    assert redact("Bu Siti menunggu; Sitinjak tidak") == f"Bu {X} menunggu; Sitinjak tidak"
    assert redact("lampiran KTP_Siti_Aminah.jpg") == f"lampiran KTP_{X}.jpg"
    # Values too short to be told apart from ordinary words are not removed on their own.
    assert redact("ab cd") == "ab cd"


def test_json_data_is_redacted_except_kept_keys():
    redact = Redactor(names=["Joko Widodo"])
    data = {"channel": "sms", "note": "dari Joko 081234567890", "n": 3,
            "files": [{"name": "surat_Joko.pdf", "size": 10}]}
    assert redact.data(data, keep=frozenset({"channel"})) == {
        "channel": "sms", "note": f"dari {X} {X}", "n": 3,
        "files": [{"name": f"surat_{X}.pdf", "size": 10}]}
