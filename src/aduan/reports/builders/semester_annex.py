"""Tabel 3 as an XLSX annex, for periods with more cases than the document should list."""

from __future__ import annotations

from collections.abc import Iterable

from aduan.reports.builders.semester import TABLE3_HEADER, Progress, Table3Row
from aduan.reports.builders.xlsx_base import header_row, new_workbook, save, sheet, title_rows


def build_table3_annex(rows: Iterable[Table3Row], *, title: str, total: int,
                       progress: Progress | None = None) -> bytes:
    wb = new_workbook()
    ws = sheet(wb, "Tabel 3", (7, 30, 60, 22, 40, 60, 18))
    title_rows(ws, ["Lampiran Tabel 3. Rekapitulasi Pengaduan Masyarakat dan Tindak Lanjut",
                    title])
    header_row(ws, TABLE3_HEADER)
    for row in rows:
        ws.append([row.no, row.channel, f"{row.received}\n{row.problem}", row.settled,
                   row.findings, row.follow_up, row.status])
        if progress and row.no % 20000 == 0:
            progress(40 + int(55 * row.no / max(total, 1)), f"Baris {row.no:,}".replace(",", "."))
    return save(wb)
