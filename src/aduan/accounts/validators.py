"""Password rules beyond Django's: no username inside, no repetition or simple sequences.

Attackers try these first ("kadiskadis", "aaaaaaaaaaaa", "abcabcabcabc", "123456789012"), so
a long password of that shape is no stronger than a short one."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Rows of characters that people walk along: the alphabet, digits and the keyboard's rows.
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_MIN_DISTINCT = 5
_NON_WORD = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return _NON_WORD.sub("", text.casefold())


class UsernameInPasswordValidator:
    """Refuse a password that contains the username (forwards or backwards), whatever the case
    and separators: "kadiskadis", "Kadis-2025!", "sidak".

    Django's similarity validator compares whole strings, so "kadiskadis" passes it."""

    min_username_length = 3

    def validate(self, password: str, user: Any = None) -> None:
        username = _fold(getattr(user, "username", "") or "")
        if len(username) < self.min_username_length:
            return
        folded = _fold(password)
        if username in folded or username[::-1] in folded:
            raise ValidationError(_("Kata sandi tidak boleh memuat nama pengguna."),
                                  code="password_contains_username")

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh memuat nama pengguna.")


def _is_repeated_block(text: str) -> bool:
    """`text` is one block repeated at least twice, the last copy maybe cut short ("abcabcabc",
    "kadiskadis", "ab12ab12ab"): its smallest period, from the prefix function in linear time,
    is at most half its length."""
    n = len(text)
    if n < 2:
        return False
    prefix = [0] * n
    for i in range(1, n):
        k = prefix[i - 1]
        while k and text[i] != text[k]:
            k = prefix[k - 1]
        if text[i] == text[k]:
            k += 1
        prefix[i] = k
    return n - prefix[-1] <= n // 2


def _longest_sequence(text: str) -> int:
    """Length of the longest run of `text` that walks a row forwards or backwards."""
    best = 1 if text else 0
    for row in _SEQUENCES:
        for seq in (row, row[::-1]):
            run = 1
            for prev, cur in pairwise(text):
                i = seq.find(prev)
                run = run + 1 if i >= 0 and i + 1 < len(seq) and seq[i + 1] == cur else 1
                best = max(best, run)
    return best


class RepetitionValidator:
    """Refuse passwords made of repetition or a walk along the keyboard: one block repeated,
    fewer than five different characters, or a sequence covering half of the password."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = _fold(password) or password.casefold()
        if (len(set(folded)) < _MIN_DISTINCT or _is_repeated_block(folded)
                or _longest_sequence(folded) * 2 >= len(folded)):
            raise ValidationError(
                _("Kata sandi ini terlalu mudah ditebak: hindari pengulangan dan urutan "
                  "seperti \"aaaa\", \"abcabc\" atau \"123456\"."),
                code="password_repetitive")

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh berupa pengulangan atau urutan karakter.")
