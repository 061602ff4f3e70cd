"""Redaction of personal data inside free text kept after the retention period (UU 27/2022).

Masking (masking.py) hides part of a value for display and keeps the record; redaction removes
the value from stored text for good. It removes what has the shape of personal data (e-mail
addresses, Indonesian phone numbers, 16-digit NIK/KK numbers) plus the values one reporter is
known by (name, phone, e-mail, NIK, address, company), and leaves every other word, so the
complaint still reads as what it was about.

The same function redacts free text shown outside the complaint team (unit staff, the head,
their API answers, exports) and public output (complaints/privacy.py). Every pattern here runs
in linear time: each unbounded run can only start where the previous character could not
continue it (a lookbehind), and the rest are bounded, so a 20,000-character text costs about
what 20 texts of 1,000 do (core/tests/test_redaction_linear.py, bench/redaction.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What replaces a removed value. It sits inside the reporter's own (Indonesian) text, as the
# masks "xxxx" do, so it is data and not a translatable UI string.
REDACTED = "[dihapus]"

# The local part starts only where no local-part character precedes it: without that lookbehind
# a long run of digits or letters was rescanned from each of its characters (quadratic time).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 16 digits, optionally in groups of four: NIK and KK numbers.
_NIK = re.compile(r"(?<![\w])\d{4}[\s.-]?\d{4}[\s.-]?\d{4}[\s.-]?\d{4}(?![\w])")
# Indonesian mobile and fixed numbers, local (08.., 0761..) or international (+62/62..), with
# the spaces, dots and dashes people type. A number must start with 0 or 62, so amounts
# ("Rp 1.500.000.000"), dates and register numbers are left alone.
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?![\w])")
# Any run of digits, with single dots or dashes between groups ("01.234.567.8-901.000"): one with
# ID_MIN_DIGITS digits or more looks like an identity number (NIK, KK, NPWP, NIB, BPJS, SIM,
# passport, bank account) unless it is written as an amount ("1.500.000.000"). Dates
# ("02-07-2025") have 8 digits and stay; spaced groups are left to the NIK and phone shapes.
_NUMBER_RUN = re.compile(r"(?<!\d)\d+(?:[.-]\d+)*")
_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+")
ID_MIN_DIGITS = 9
# Passport numbers: one or two capital letters and 7 digits ("A1234567", "AB1234567").
_PASSPORT = re.compile(r"(?<![\w])[A-Z]{1,2}\d{7}(?![\w])")
# Name parts shorter than this are too common to remove on their own ("Ir", "Hj").
MIN_NAME_PART = 3
# A known value (address, company) shorter than this is not removed as a phrase.
MIN_PHRASE = 5


def _phrase_pattern(phrase: str) -> str:
    """The phrase as whole words, any whitespace between them. An underscore separates words
    too, so a name is found in a file name such as `KTP_Siti_Aminah.jpg`."""
    words = [re.escape(word) for word in phrase.split()]
    return r"(?<![^\W_])" + r"[\s_]+".join(words) + r"(?![^\W_])"


def _redact_id_number(match: re.Match[str]) -> str:
    run = match.group(0)
    digits = sum(c.isdigit() for c in run)
    if digits < ID_MIN_DIGITS or _AMOUNT.fullmatch(run):
        return run
    return REDACTED


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
        self._pattern = "|".join(patterns)
        # Compiled only for a text that contains one of the values' first words: exports
        # build one Redactor per reporter, and most texts never name them.
        self._needles = {(p.split() or [""])[0].strip(".,").casefold()
                         for p in (*phrases, *parts)}
        self._known: re.Pattern[str] | None = None

    def __call__(self, text: str) -> str:
        if not text:
            return text or ""
        text = _EMAIL.sub(REDACTED, text)
        text = _NIK.sub(REDACTED, text)
        text = _PHONE.sub(REDACTED, text)
        text = _NUMBER_RUN.sub(_redact_id_number, text)
        text = _PASSPORT.sub(REDACTED, text)
        if self._pattern and self._mentions_known(text):
            if self._known is None:
                self._known = re.compile(self._pattern, re.IGNORECASE)
            text = self._known.sub(REDACTED, text)
        return text

    def _mentions_known(self, text: str) -> bool:
        folded = text.casefold()
        return any(needle in folded for needle in self._needles)

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
