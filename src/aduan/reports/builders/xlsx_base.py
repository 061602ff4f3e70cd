"""openpyxl in write-only mode: constant memory, so an annex of a million rows streams.

Every sheet is a `SafeSheet`: each value appended goes through `core.cells.neutralise_cell`,
so a reporter's name starting with `=` is written as text, never as a live formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from aduan.core.cells import neutralise_cell

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=13)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


class SafeSheet:
    """A write-only worksheet whose `append` neutralises every text cell."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws

    def append(self, values: Iterable[object]) -> None:
        row = []
        for value in values:
            if isinstance(value, Cell):
                value.value = neutralise_cell(value.value)
                row.append(value)
            else:
                row.append(neutralise_cell(value))
        self.ws.append(row)

    def __getattr__(self, name: str) -> object:
        return getattr(self.ws, name)


def sheet(wb: Workbook, title: str, widths: Sequence[float]) -> SafeSheet:
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    return SafeSheet(ws)


def title_rows(ws: SafeSheet, lines: Iterable[str]) -> None:
    for line in lines:
        cell = WriteOnlyCell(ws.ws, value=line)
        cell.font = TITLE_FONT
        ws.append([cell])
    ws.append([])


def header_row(ws: SafeSheet, header: Sequence[str]) -> None:
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws.ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cells.append(cell)
    ws.append(cells)


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
