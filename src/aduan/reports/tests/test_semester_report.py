"""Acceptance: the Semester I 2025 report generated from the demo data (issue 6).

The DOCX is opened with python-docx and the PDF with pypdf; their tables must say what the
seed says (Tabel 1), what the data says (Tabel 2: 31 settled, 1 in process) and list the 32
cases with masked phone numbers (Tabel 3).
"""

import datetime as dt
import io
import re

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from aduan.complaints.models import Reporter
from aduan.reports.generate import generate_document
from aduan.reports.models import ReportKind, ReportProfile

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
TABEL_1 = [("Kotak Pengaduan", "-"), ("Meja Pengaduan/Formulir Pengaduan", "2"),
           ("Website", "3"), ("E-mail Kantor", "-"), ("E-mail Pengaduan", "-"),
           ("Instagram (IG)", "-"), ("Telepon Kantor", "-"), ("SMS / WA", "26"),
           ("Situs Media Online", "-"), ("Aplikasi SP4NLAPOR!", "1")]
MASKED = re.compile(r"\b0\d{3}-\d{4}-xxxx\b")


def _generate(demo, users, kind):
    return generate_document(demo, kind, START, END, viewer=users["ketua"],
                             signed_on=dt.date(2025, 7, 2))


def _raw_phones() -> list[str]:
    """Every reporter's phone in local form, e.g. 087863740037."""
    return ["0" + p.removeprefix("+62") for p in
            Reporter.objects.exclude(phone="").values_list("phone", flat=True)]


def _table_with(doc, heading: str):
    return next(t for t in doc.tables if heading in [c.text for c in t.rows[0].cells])


def test_semester_docx_tables_match_the_seed_and_the_data(demo, demo_users):
    document = _generate(demo, demo_users, ReportKind.SEMESTER_DOCX)
    assert document.file_name.endswith(".docx")
    doc = docx.Document(io.BytesIO(document.content))

    tabel1 = _table_with(doc, "SALURAN PENGADUAN")
    rows = [[c.text for c in row.cells] for row in tabel1.rows[1:]]
    assert [(r[1], r[2]) for r in rows[:-1]] == TABEL_1
    assert rows[-1][1:] == ["JUMLAH", "32"]

    tabel2 = _table_with(doc, "Status Tindak Lanjut Pengaduan")
    rows = [[c.text for c in row.cells] for row in tabel2.rows[1:]]
    assert rows[0][1:] == ["Selesai", "31", "96,9%"]
    assert rows[1][1:] == ["Sedang dalam proses", "1", "3,1%"]
    assert rows[2][1:] == ["JUMLAH", "32", "100%"]

    tabel3 = _table_with(doc, "Jenis Pengaduan")
    rows = [[c.text for c in row.cells] for row in tabel3.rows[1:]]
    assert len(rows) == 32
    assert [r[0] for r in rows] == [f"{n}." for n in range(1, 33)]
    first = rows[0]
    assert first[1] == "SMS / WA\n0878-6374-xxxx"
    assert first[2].startswith("6 Januari 2025\nSyarat pencabutan SIP Perawat")
    assert first[3] == "6 Januari 2025 (1 hari)"
    assert first[4] == "Pengaduan dibalas oleh Petugas Pengaduan via whatsApp"
    assert first[5] == "Pengaduan membalas untu SIP tidak ada pencabutan"
    assert first[6] == "Selesai"
    assert [r[6] for r in rows].count("Sedang dalam proses") == 1
    case23 = rows[22]
    assert case23[6] == "Sedang dalam proses"
    assert case23[3] == "-"
    assert "DENNY SAPUTRA" in case23[1]
    with_phone = [r for r in rows if MASKED.search(r[1])]
    assert len(with_phone) == Reporter.objects.exclude(phone="").count()

    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for raw in _raw_phones():
        assert raw not in text
    for heading in ("KATA PENGANTAR", "DAFTAR ISI", "BAB I\nPENDAHULUAN", "1.1. Latar Belakang",
                    "BAB III\nHAMBATAN DAN UPAYA PENYELESAIAN", "BAB IV\nPENUTUP"):
        assert heading in text
    assert "Laporan Penanganan Pengaduan Semester I Tahun 2025 Dinas" in text
    assert "terdapat 32 pengaduan" in text
    assert "Bengkalis, 2 Juli 2025" in text
    assert "MUHAMMAD THAIB, S.H. M.H" in text
    assert "PEMBINA (IV/a)" in text
    assert "NIP 197809122010011003" in text
    # Diagram 1 is an embedded picture.
    assert any(rel.reltype.endswith("/image") for rel in doc.part.rels.values())


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_semester_pdf_tables_match_the_seed_and_the_data(demo, demo_users):
    document = _generate(demo, demo_users, ReportKind.SEMESTER_PDF)
    text = _pdf_text(document.content)
    flat = re.sub(r"\s+", " ", text)
    for label, count in TABEL_1:
        assert f"{label} {count}" in flat
    assert "JUMLAH 32" in flat
    assert "Selesai 31 96,9%" in flat
    assert "Sedang dalam proses 1 3,1%" in flat
    assert "6 Januari 2025 (1 hari)" in flat
    assert len(set(MASKED.findall(text))) >= 25
    for raw in _raw_phones():
        assert raw not in text
    # Table of contents with page numbers, and the signature block.
    assert re.search(r"BAB III HAMBATAN DAN UPAYA PENYELESAIAN[ .]*\d+", flat)
    assert "NIP 197809122010011003" in flat
    # Tabel 3 rows 1..32 are all present.
    assert "Sedang dalam proses" in flat
    for n in range(1, 33):
        assert re.search(rf"(^|\n) ?{n}\.\n", text), n


def test_above_the_threshold_tabel_3_moves_to_an_xlsx_annex(demo, demo_users):
    ReportProfile.objects.filter(office=demo).update(table3_max_rows=10)
    document = _generate(demo, demo_users, ReportKind.SEMESTER_DOCX)
    doc = docx.Document(io.BytesIO(document.content))
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert not any("Jenis Pengaduan" in h for h in headers)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "lampiran-tabel-3-dpmptsp-bengkalis-20250101-20250630.xlsx" in text
    assert "Pengaduan selesai: 31 (96,9%); sedang dalam proses: 1 (3,1%)." in text

    annex = _generate(demo, demo_users, ReportKind.SEMESTER_ANNEX)
    sheet = load_workbook(io.BytesIO(annex.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    data = rows[header_at + 1:]
    assert len(data) == 32
    assert data[0][1] == "SMS / WA\n0878-6374-xxxx"
    assert data[0][3] == "6 Januari 2025 (1 hari)"


def test_confidential_reporter_name_is_not_printed(demo, demo_users):
    Reporter.objects.filter(name="DENNY SAPUTRA").update(is_confidential=True)
    document = _generate(demo, demo_users, ReportKind.SEMESTER_DOCX)
    doc = docx.Document(io.BytesIO(document.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not any("DENNY" in c for c in cells)


def test_an_empty_period_still_gives_a_complete_report(demo, demo_users):
    document = generate_document(demo, ReportKind.SEMESTER_DOCX, dt.date(2024, 7, 1),
                                 dt.date(2024, 12, 31), viewer=demo_users["ketua"])
    doc = docx.Document(io.BytesIO(document.content))
    tabel1 = _table_with(doc, "SALURAN PENGADUAN")
    assert [c.text for c in tabel1.rows[-1].cells][1:] == ["JUMLAH", "0"]
    assert all(row.cells[2].text == "-" for row in tabel1.rows[1:-1])
    assert document.rows == 0
