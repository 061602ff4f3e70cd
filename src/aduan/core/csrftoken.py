"""The CSRF token written into a public page, as Django's `get_token` writes it, with the mask
drawn in one read of the system's random source (issue 17).

Django masks the cookie's secret afresh for every response (a random 32-character mask, the
secret shifted by it: BREACH protection, so that no two responses carry the same token text).
It draws the mask with `get_random_string`: 32 `secrets.choice` calls, each its own
`getrandom` system call, about 6 % of a first status lookup. `masked_token` writes the same
thing from one `os.urandom` read: the same alphabet, the same cipher (Django's
`_unmask_cipher_token` reads it back), a fresh uniform mask per call (bytes at or above the
largest multiple of 62 below 256 are dropped, so each character is equally likely), from the
same source as `secrets`. Without a valid secret in the request it is `get_token` itself
(which makes one).

`get_token` also flags the cookie to be sent again with every page, only to renew its expiry
(CSRF_COOKIE_AGE, a year): a `Set-Cookie` built and sent per response, about 3.5 % of a first
status lookup (issue 17). Here it is flagged unless the request is a POST whose cookie holds
this very secret: the browser has the cookie and has just sent it, so nothing about the token
changes; GET pages (the forms a visitor opens, every page not memoised, which use Django's
own `get_token`) still renew it, and a new, rotated or converted secret (a request without a
cookie, a login's `rotate_token`, a masked cookie Django replaced) is always sent. The answer
still varies on the cookie: the caller adds `Vary: Cookie` (pagecache.py), which the CSRF
middleware added together with the cookie.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_CHARS = CSRF_ALLOWED_CHARS
_N = len(_CHARS)
_INDEX = {char: i for i, char in enumerate(_CHARS)}
_BOUND = 256 - 256 % _N  # 248: a byte below it, modulo 62, is uniform over the alphabet


def _mask(length: int) -> list[int]:
    """`length` uniform indices into the alphabet."""
    drawn: list[int] = []
    while len(drawn) < length:
        # 8 spare bytes: a byte is dropped with probability 8/256, so one read almost always
        # suffices.
        drawn += [byte % _N for byte in os.urandom(length - len(drawn) + 8) if byte < _BOUND]
    return drawn[:length]


def masked_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token(request)` returns; the cookie is sent again
    (its expiry renewed) as `get_token` has it sent, except to a POST that carried this very
    secret in its cookie (see the module's text)."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)
    mask = _mask(CSRF_SECRET_LENGTH)
    try:
        cipher = "".join([_CHARS[(_INDEX[char] + m) % _N] for char, m in zip(secret, mask, strict=True)])
    except KeyError:  # not a secret Django's middleware accepted: let Django handle it
        return get_token(request)
    if (request.method != "POST" or settings.CSRF_USE_SESSIONS
            or request.COOKIES.get(settings.CSRF_COOKIE_NAME) != secret):
        # As get_token does for a secret it found: send the cookie again, renewing its expiry.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return "".join([_CHARS[m] for m in mask]) + cipher
