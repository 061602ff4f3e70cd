"""Per-client look-up limits in Django's cache (sliding windows), and the self-hosted challenge
(honeypot plus a signed, single-use form token) that replaces third-party CAPTCHAs.

The form token is signed (time, nonce): the time proves the form was filled by a person (not
posted at once) and not days ago; the nonce is the submission's single-use key
(`complaints.submissions`): a second POST with it shows the first receipt and registers
nothing. Submissions are limited through `aduan.core.ratelimit` (scopes `web_submit` and
`submit_contact`)."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

from aduan.core.ratelimit import client_address, sliding_count

logger = logging.getLogger(__name__)
__all__ = ["client_address", "form_token", "form_token_nonce", "form_token_ok",
           "form_token_read", "hit"]

# Lookups per minute per client address: the 21st within a minute is refused, so 96-bit
# tracking codes cannot be enumerated (SPEC §6, issue 4).
TRACK_LIMIT = (20, 60)
# Web submissions per client address per hour (a busy internet café still fits).
SUBMIT_LIMIT = (30, 60 * 60)
_TOKEN_SALT = "aduan.portal.form-age"  # noqa: S105 (a signing salt, not a secret)


def hit(scope: str, request: HttpRequest, limit: tuple[int, int] | None = None) -> bool:
    """Count one request of `scope` for the client; False when it is over the limit.

    A sliding window (`ratelimit.sliding_count`): no `window` seconds hold more than
    `count_max` allowed requests (a fixed per-minute bucket would allow 40 lookups across a
    minute boundary), exactly, however many workers answer the address at once.
    """
    configured = limit or getattr(settings, f"ADUAN_PORTAL_{scope.upper()}_LIMIT",
                                  TRACK_LIMIT if scope == "track" else SUBMIT_LIMIT)
    if configured is None:  # switched off (load benchmarks from one address)
        return True
    count_max, window = configured
    return sliding_count(f"portal_{scope}", client_address(request), count_max, window,
                         at=time.time())


def form_token(*, rendered_at: int | None = None, key: str | None = None) -> str:
    """A signed (timestamp, nonce) put in the form when it is rendered (now, or at
    `rendered_at`), signed with SECRET_KEY or `key` (tests: portal/testing.py)."""
    rendered = int(time.time()) if rendered_at is None else rendered_at
    return signing.dumps([rendered, secrets.token_urlsafe(16)], key=key, salt=_TOKEN_SALT)


@dataclass(frozen=True)
class FormToken:
    """A posted form token read once: `nonce` (the submission's single-use key) if it is ours
    and unexpired, "" otherwise; `ok` when it is also old enough (`form_token_ok`)."""

    nonce: str
    ok: bool


def form_token_read(token: str) -> FormToken:
    """The token's nonce and whether it passes `form_token_ok`, from ONE check of its signature
    (the submit view needs both; unsigning twice was 3 % of an accepted submission's
    instructions, issue 17)."""
    try:
        rendered = signing.loads(token or "", salt=_TOKEN_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature:
        return FormToken("", False)
    if not (isinstance(rendered, list) and len(rendered) == 2 and isinstance(rendered[0], int)):
        return FormToken("", False)
    min_age = getattr(settings, "ADUAN_PORTAL_MIN_FILL_SECONDS", 3)
    return FormToken(rendered[1] if isinstance(rendered[1], str) else "",
                     time.time() - rendered[0] >= min_age)


def form_token_nonce(token: str) -> str:
    """The token's nonce (the submission's single-use key) if it is ours and unexpired."""
    return form_token_read(token).nonce


def form_token_ok(token: str) -> bool:
    """The form was rendered by us, at least a few seconds ago (bots post at once), and not
    days ago. The minimum is a setting so browser tests can fill the form quickly."""
    return form_token_read(token).ok
