"""One text validator for every channel (portal, desk, API, intake adapters).

Text a reporter or an officer typed is stored without the characters that can hide or
disguise what is shown: C0 controls except newline and tab (ESC starts terminal escape
sequences, BEL rings, NUL truncates), DEL, the C1 controls (U+0080-U+009F) and the bidi
embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) that can make
"Rahmi" display as another name in a desk list. Right-to-left text itself (Arabic names) is
kept: templates show names inside `<bdi>`, which isolates their direction from the page
around them. Line breaks are normalised to "\n".
"""

from __future__ import annotations

import re
import unicodedata

# Everything below U+0020 but tab and newline; DEL; C1; bidi embeddings/overrides/isolates;
# and the invisible direction marks LRM/RLM/ALM, which have no place in a complaint.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """`value` without control and bidi-control characters, NFC-normalised, stripped.

    `multiline=False` also turns newlines and tabs into spaces (names, subjects, addresses
    on one line)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    text = _UNSAFE.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def has_unsafe_characters(value: str) -> bool:
    return bool(_UNSAFE.search(value or ""))
