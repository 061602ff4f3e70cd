"""Formatting shared by the builders: Indonesian dates and numbers, text markup, masking."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from aduan.core.masking import mask_email, mask_phone

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


def date_id(day: dt.date | None) -> str:
    """`2025-04-29` -> `29 April 2025`, independent of the process locale."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def number_id(value: int) -> str:
    """`1000000` -> `1.000.000` (Indonesian thousands separator)."""
    return f"{value:,}".replace(",", ".")


def percent_id(part: int, whole: int) -> str:
    """`31 of 32` -> `96,9%`: one decimal, Indonesian decimal comma; whole numbers bare."""
    if not whole:
        return "-"
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def count_or_dash(value: int) -> str:
    """Tabel 1 writes a zero as "-"."""
    return number_id(value) if value else "-"


@dataclass(frozen=True)
class Block:
    """One block of an editable text: `heading`, `item` (list item) or `paragraph`."""

    kind: str
    text: str


_LIST_MARK = re.compile(r"^(\d+\.|[a-z]\.|[ivx]+\.|[✓❖•])\s", re.IGNORECASE)


def blocks(text: str, values: dict[str, str]) -> Iterator[Block]:
    """Parse the office's report text: blank lines separate paragraphs, "## " starts a
    subheading, "- " a list item. `{placeholders}` are filled; unknown ones stay as typed."""
    filled = _fill(text, values)
    for raw in re.split(r"\n\s*\n", filled.replace("\r\n", "\n")):
        chunk = " ".join(line.strip() for line in raw.strip().splitlines())
        if not chunk:
            continue
        if chunk.startswith("## "):
            yield Block("heading", chunk[3:].strip())
        elif chunk.startswith("- "):
            yield Block("item", chunk[2:].strip())
        elif _LIST_MARK.match(chunk):
            yield Block("item", chunk)
        else:
            yield Block("paragraph", chunk)


def item_has_own_mark(text: str) -> bool:
    return bool(_LIST_MARK.match(text))


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text or "")


def reporter_line(*, name: str, phone: str, email: str, is_anonymous: bool,
                  is_confidential: bool) -> str:
    """The reporter as Tabel 3 shows it: name with masked phone and e-mail; nothing of an
    anonymous reporter and "(dirahasiakan)" for a confidential one (SPEC §6)."""
    if is_confidential and not is_anonymous:
        return "(dirahasiakan)"  # and nothing derived from it (complaints/privacy.py)
    if is_anonymous:
        return ""
    parts = []
    if name:
        parts.append(f"An. {name}")
    if phone:
        parts.append(mask_phone(phone))
    if email:
        parts.append(mask_email(email))
    return "\n".join(parts)
