"""Tracking codes (the reporter's credential) and public ids (what public output shows).

A tracking code is the only thing a reporter needs to follow a case and act on it (confirm
satisfaction, reopen, rate), so it is a secret: it goes to the reporter alone (the receipt page
and their own messages) and never appears in public output. People read it aloud over the
phone and type it on a phone keyboard, so it is 16 characters of Crockford's base32 alphabet
(digits and upper-case letters without I, L, O and U: nothing to confuse), 80 bits of
randomness, written in groups of four: `K7QM-3XPD-9RTA-2F6B`. Lookups ignore case, spaces,
dots and dashes, and read the letters people confuse with digits as the digits (O as 0, I
and L as 1), as Crockford's decoding rules say.

Codes issued before this format (16 characters of URL-safe base64, case-sensitive) keep
working: they are looked up exactly as they were issued.

A public id names a case in public output (Open311's `service_request_id`). It is random too,
but independent of the tracking code and of another shape (14 lower-case hex digits), so
nothing public is, or leads to, a credential.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 x 5 bits = 80 bits of randomness
GROUP = 4
# The longest input worth looking up: a grouped code with generous spacing. Longer input is
# answered like any unknown code, without touching the database.
MAX_INPUT = 64

# RFC 4648's base32 alphabet (A-Z, 2-7) onto ours, symbol for symbol (the same 5-bit value).
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
_CANONICAL = re.compile(rf"[{ALPHABET}]{{{CODE_LENGTH}}}")
# Codes issued before the grouped format: secrets.token_urlsafe(12).
_LEGACY = re.compile(r"[A-Za-z0-9_-]{16}")


def new_tracking_code() -> str:
    """A fresh tracking code in its display form, `XXXX-XXXX-XXXX-XXXX`: one draw of 80
    random bits (`secrets`), written 5 bits a character (RFC 4648 base32, its alphabet
    mapped one to one onto ours). The same distribution as a `secrets.choice` per character
    (each character uniform and independent of the others) at a sixth of the cost: one call
    to the system's generator instead of sixteen (a web submission issues its code in the
    request, issue 17)."""
    canonical = base64.b32encode(secrets.token_bytes(CODE_LENGTH * 5 // 8)).decode()
    return format_code(canonical.translate(_FROM_BASE32))


def format_code(canonical: str) -> str:
    return "-".join(canonical[i:i + GROUP] for i in range(0, len(canonical), GROUP))


def normalise_code(raw: str) -> str | None:
    """The display form of a grouped code as someone typed or said it; None when the input
    cannot be one (wrong length or a character outside the alphabet)."""
    text = _SEPARATORS.sub("", (raw or "")[:MAX_INPUT]).upper().translate(_CONFUSABLE)
    if not _CANONICAL.fullmatch(text):
        return None
    return format_code(text)


def code_candidates(raw: str) -> list[str]:
    """The stored codes `raw` may stand for: the grouped code it normalises to, and the input
    as typed when it has the shape of a code issued before the grouped format. Empty when it
    can be neither (then no lookup is needed: the answer is "not found")."""
    raw = (raw or "").strip()
    if not raw or len(raw) > MAX_INPUT:
        return []
    candidates = []
    if (grouped := normalise_code(raw)) is not None:
        candidates.append(grouped)
    if _LEGACY.fullmatch(raw) and raw not in candidates:
        candidates.append(raw)
    return candidates


def code_rate_key(raw: str, candidates: list[str] | None = None) -> str:
    """What the per-code rate limit counts by: every way of writing one code counts as that
    code; a hash, so the limiter's store never holds a credential. `candidates`: what
    `code_candidates(raw)` gave, when the caller has it already (the lookup normalises once)."""
    if candidates is None:
        candidates = code_candidates(raw)
    key = candidates[0] if candidates else (raw or "").strip()[:MAX_INPUT]
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


PUBLIC_ID_LENGTH = 14


def new_public_id() -> str:
    """A case's public name: 56 random bits as lower-case hex, unrelated to its tracking code."""
    return secrets.token_hex(PUBLIC_ID_LENGTH // 2)
