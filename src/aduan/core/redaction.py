"""Redaction of personal data inside free text kept after the retention period (UU 27/2022).

Masking (masking.py) hides part of a value for display and keeps the record; redaction removes
the value from stored text for good. It removes what has the shape of personal data (e-mail
addresses, Indonesian phone numbers, 16-digit NIK/KK numbers) plus the values one reporter is
known by (name, phone, e-mail, NIK, address, company), and leaves every other word, so the
complaint still reads as what it was about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What replaces a removed value. It sits inside the reporter's own (Indonesian) text, as the
# masks "xxxx" do, so it is data and not a translatable UI string.
REDACTED = "[dihapus]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 16 digits, optionally in groups of four: NIK and KK numbers.
_NIK = re.compile(r"(?<![\w])\d{4}[\s.-]?\d{4}[\s.-]?\d{4}[\s.-]?\d{4}(?![\w])")
# Indonesian mobile and fixed numbers, local (08.., 0761..) or international (+62/62..), with
# the spaces, dots and dashes people type. A number must start with 0 or 62, so amounts
# ("Rp 1.500.000.000"), dates and register numbers are left alone.
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?![\w])")
# Name parts shorter than this are too common to remove on their own ("Ir", "Hj").
MIN_NAME_PART = 3
# A known value (address, company) shorter than this is not removed as a phrase.
MIN_PHRASE = 5


def _phrase_pattern(phrase: str) -> str:
    """The phrase as whole words, any whitespace between them. An underscore separates words
    too, so a name is found in a file name such as `KTP_Siti_Aminah.jpg`."""
    words = [re.escape(word) for word in phrase.split()]
    return r"(?<![^\W_])" + r"[\s_]+".join(words) + r"(?![^\W_])"


class Redactor:
    """Removes personal data from text: the general shapes, and one person's known values.

    `values` are phrases removed whole (phone, e-mail, NIK, address, company); `names` are
    removed whole and, word by word, every part of at least MIN_NAME_PART letters, as the
    Open311 output masks them.
    """

    def __init__(self, *, values: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        phrases = {" ".join(v.split()) for v in values if len((v or "").strip()) >= MIN_PHRASE}
        parts: set[str] = set()
        for raw_name in names:
            name = " ".join((raw_name or "").split())
            if len(name) >= MIN_NAME_PART:
                phrases.add(name)
            parts.update(p for p in name.split() if len(p.strip(".,")) >= MIN_NAME_PART)
        # Longest first, so "Siti Aminah" goes before "Siti".
        patterns = [_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True)]
        patterns += [_phrase_pattern(p.strip(".,"))
                     for p in sorted(parts, key=len, reverse=True)]
        self._known = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def __call__(self, text: str) -> str:
        if not text:
            return text or ""
        text = _EMAIL.sub(REDACTED, text)
        text = _NIK.sub(REDACTED, text)
        text = _PHONE.sub(REDACTED, text)
        if self._known is not None:
            text = self._known.sub(REDACTED, text)
        return text

    def data(self, value: Any, *, keep: frozenset[str] = frozenset()) -> Any:
        """Redact every string inside JSON-like data; values under `keep` keys are system
        identifiers (channel codes, register numbers) and stay as they are."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.data(item, keep=keep) for item in value]
        if isinstance(value, dict):
            return {key: item if key in keep else self.data(item, keep=keep)
                    for key, item in value.items()}
        return value
