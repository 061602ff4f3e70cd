"""Rendered public tracking pages, memoised per process for the case's current state.

Looking a case up is the portal's busiest read. Rendering its page (the case with its channel,
the public timeline, the rating, the office header) costs several queries and milliseconds of
template work; the page changes only when the case does. So each process keeps the rendered
page under a key made of:

- the case's state: its `updated_at`, read by its unique tracking code (as typed) (the only query of a
  repeated lookup). Every step of the procedure, every public reply, reopening, satisfaction and
  rating writes an event (the timeline is append-only), and writing an event moves the case's
  `updated_at` (complaints/events.py), so any change the page could show moves the key;
- the office configuration version (core/refcache.py: office name in the header, channels);
- the language and the path of the request.

The page's forms carry the visitor's CSRF token, which differs per visitor: the page is rendered
with a per-process placeholder in its place, and every response, the first included, gets the
visitor's own token written in. Pages with a message to the visitor (an error, a confirmation,
a form with errors, a flash message) are never memoised.

The blank complaint form (`GET /pengaduan/kirim/`) is memoised the same way (`form_page`): it
depends only on the office configuration (its permit types are in the configuration version),
the language and the path; the CSRF token and the signed single-use form token are written into
every response, so no two visitors share a token. Visitors with a session (staff, a flash
message) get a fresh render.

Bounds (docs/benchmarks.md): at most PAGE_ENTRIES tracking pages and FORM_ENTRIES form pages
per process, each page a few kilobytes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from aduan.complaints.models import Complaint
from aduan.complaints.tracking import code_candidates
from aduan.core import refcache

# Django's in-memory LRU cache, private to this module (not configured through CACHES: the
# pages must never be shared between deployments of different code).
PAGE_ENTRIES = 1000
FORM_ENTRIES = 16
_pages = LocMemCache("aduan-portal-track-pages",
                     {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": PAGE_ENTRIES,
                                                   "CULL_FREQUENCY": 4}})
_forms = LocMemCache("aduan-portal-form-pages",
                     {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": FORM_ENTRIES,
                                                   "CULL_FREQUENCY": 2}})
# Unguessable, so text in a case cannot contain it and be replaced by a token.
_CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(28)
_FORM_TOKEN_PLACEHOLDER = "form" + secrets.token_hex(28)
_STATE_SQL: str | None = None


def _state_sql() -> str:
    global _STATE_SQL  # noqa: PLW0603
    if _STATE_SQL is None:
        quote = connection.ops.quote_name
        complaints = quote(Complaint._meta.db_table)
        _STATE_SQL = (
            f"SELECT c.id, c.updated_at FROM {complaints} c "  # noqa: S608
            "WHERE c.tracking_code IN (%s, %s) AND c.is_secret = %s"
        )
    return _STATE_SQL


def page_key(request: HttpRequest, code: str) -> str | None:
    """The memo key of the tracking page of `code` as it is now; None when there is no public
    case with that code or the visitor has a flash message waiting."""
    if len(messages.get_messages(request)):
        return None
    candidates = code_candidates(code)  # the codes the input may stand for (at most two)
    if not candidates:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [candidates[0], candidates[-1], False])
        state = cursor.fetchone()
    if state is None:
        return None
    parts = (code, state[0], str(state[1]), refcache.version(), get_language(),
             request.get_full_path())
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def page_get(request: HttpRequest, key: str) -> HttpResponse | None:
    body = _pages.get(key)
    return None if body is None else _response(request, body)


def page_render(request: HttpRequest, key: str, template: str, context: dict) -> HttpResponse:
    """Render `template` with a placeholder CSRF token, memoise it under `key`, and answer."""
    body = render_to_string(template, {**context, "csrf_token": _CSRF_PLACEHOLDER},
                            request=request).encode()
    _pages.set(key, body)
    return _response(request, body)


def _response(request: HttpRequest, body: bytes,
              cache_control: str | None = "no-store") -> HttpResponse:
    body = body.replace(_CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(body)
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def form_page(request: HttpRequest, render: Callable[[str, str], str]) -> HttpResponse:
    """The blank form page. `render(csrf_token, form_token)` renders it; its result is kept
    per (configuration version, language, path) and each answer gets its own tokens."""
    from aduan.portal.throttle import form_token

    key = None
    if (settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not len(messages.get_messages(request))):
        parts = ("form", refcache.version(), get_language(), request.get_full_path())
        key = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    body = _forms.get(key) if key is not None else None
    if body is None:
        body = render(_CSRF_PLACEHOLDER, _FORM_TOKEN_PLACEHOLDER).encode()
        if key is not None:
            _forms.set(key, body)
    body = body.replace(_FORM_TOKEN_PLACEHOLDER.encode(), form_token().encode())
    return _response(request, body, cache_control=None)


def clear() -> None:
    _pages.clear()
    _forms.clear()
