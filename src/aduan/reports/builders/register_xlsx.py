"""The register book as XLSX: one sheet for the complaints, one for the reporters."""

from __future__ import annotations

from collections.abc import Iterable

from aduan.reports.builders.register import COMPLAINT_HEADER, REPORTER_HEADER, RegisterRow
from aduan.reports.builders.xlsx_base import header_row, new_workbook, save, sheet, title_rows


def build_register_xlsx(rows: Iterable[RegisterRow], *, title: str) -> bytes:
    wb = new_workbook()
    complaints = sheet(wb, "Data surat pengaduan", (7, 16, 20, 80, 45))
    reporters = sheet(wb, "Identitas pelapor", (7, 30, 45, 25, 30))
    title_rows(complaints, ["Buku Register Pengaduan: Data Surat Pengaduan", title])
    title_rows(reporters, ["Buku Register Pengaduan: Identitas Pelapor", title])
    header_row(complaints, COMPLAINT_HEADER)
    header_row(reporters, REPORTER_HEADER)
    # Both sheets stream in one pass, so a long register is read from the database once.
    for row in rows:
        complaints.append([row.no, row.month, row.letter_date, row.content, row.note])
        reporters.append([row.no, row.name, row.address, row.occupation, row.reporter_note])
    return save(wb)
