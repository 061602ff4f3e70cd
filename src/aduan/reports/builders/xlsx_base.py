"""openpyxl in write-only mode: constant memory, so an annex of a million rows streams."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=13)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def sheet(wb: Workbook, title: str, widths: Sequence[float]) -> WriteOnlyWorksheet:
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    return ws


def title_rows(ws: WriteOnlyWorksheet, lines: Iterable[str]) -> None:
    for line in lines:
        cell = WriteOnlyCell(ws, value=line)
        cell.font = TITLE_FONT
        ws.append([cell])
    ws.append([])


def header_row(ws: WriteOnlyWorksheet, header: Sequence[str]) -> None:
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cells.append(cell)
    ws.append(cells)


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
