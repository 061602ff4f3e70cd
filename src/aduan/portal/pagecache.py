"""Rendered public tracking pages, memoised per process for the case's current state.

Looking a case up is the portal's busiest read. Rendering its page (the case with its channel,
the public timeline, the rating, the office header) costs several queries and milliseconds of
template work; the page changes only when the case does. So each process keeps the rendered
page under a key made of:

- the case's state: its `updated_at`, read with the case by its tracking code in one statement
  (`portal.selectors.public_case_find`, the only query of a repeated lookup). Every step of
  the procedure, every public reply, reopening, satisfaction and rating writes an event (the
  timeline is append-only), and writing an event moves the case's `updated_at`
  (complaints/events.py), so any change the page could show moves the key;
- the office configuration version (core/refcache.py: office name in the header, channels),
  the language, the host, the office of the request and the path (`_where`).

A lookup the memo does not hold (most of them: codes are many) renders only the case's part
(templates/portal/_track_case.html) into the page chrome, which is itself memoised per
`_where` with placeholders for the typed code, the case's part and the CSRF token
(`track_chrome`).

The page's forms carry the visitor's CSRF token, which differs per visitor: the page is rendered
with a per-process placeholder in its place, and every response, the first included, gets the
visitor's own token written in. Pages with a message to the visitor (an error, a confirmation,
a form with errors, a flash message) are never memoised.

The blank complaint form (`GET /pengaduan/kirim/`) is memoised the same way (`form_page`): it
depends only on the office configuration (its permit types are in the configuration version),
the language and the path; the CSRF token and the signed single-use form token are written into
every response, so no two visitors share a token. Visitors with a session (staff, a flash
message) get a fresh render.

The form shown again with the reporter's values and one problem, no field errors and no files
(a submission refused by a rate limit: 429; the form token too fast or expired: 422) is the
same page each time apart from the values, the problem and the tokens (`refill_page`). It is
rendered once per `_where` with a placeholder in every value (and every checkbox ticked, no
permit type chosen), cut at those places into literal parts and slots, and each answer joins
the parts with the reporter's values written in, html-escaped as Django's widgets write them.
A 429 re-rendering the bound form cost four times an accepted submission (issue 17); the
refusal of excess must be the cheap path. portal/tests/test_refill_page.py checks the page
equals the full render for generated values.

Bounds (docs/benchmarks.md, worker memory): the tracking pages of a process hold at most
PAGE_BYTES (2 MiB: about 125 pages of 16 kB, the size of a generated case's page in
bench/worker_rss.py; a page larger than an eighth of it is not kept), the least recently used dropped first, and none
kept once not asked for in 10 minutes (`BytesLRU.IDLE_SECONDS`); at most
CHROME_ENTRIES page chromes and FORM_ENTRIES form pages, each a few kilobytes.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache.backends.locmem import LocMemCache
from django.forms import BaseForm, CheckboxInput, FileInput, Select, Textarea
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.functional import SimpleLazyObject, empty
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from aduan.core import refcache
from aduan.core.csrftoken import masked_token
from aduan.portal import trackcase


class BytesLRU:
    """Least recently used first out, bounded by the memory its entries hold (the key and the
    value as Python objects plus the dictionary's share), not by their count: a tracking page
    is about 16 kB and grows with its timeline, so the former bound of 1,000 pages held 16 MB
    or more per process (issue 17). Private to this process (never configured through CACHES: the pages must not
    be shared between deployments of different code).

    Also bounded in time: a page not asked for in `idle` seconds is dropped at the memo's next
    use. A page whose case has changed is never asked for again (its key names the case's
    state), and on a quiet portal the bytes bound alone kept it until the worker was recycled
    (2,000 requests: days), with the case's texts as they were before an erasure redacted them
    (complaints/retention.py)."""

    ENTRY_OVERHEAD = 100  # the ordered dictionary's node and slot of one entry, about
    IDLE_SECONDS = 600.0

    def __init__(self, limit: int, idle: float = IDLE_SECONDS) -> None:
        self.limit = limit
        self.idle = idle
        self.size = 0
        # key -> [page, when last asked for (time.monotonic())]
        self._items: OrderedDict[str, list[Any]] = OrderedDict()
        self._dropped_at = float("-inf")
        self._drop_every = idle / 10
        self._lock = threading.Lock()  # gthread workers share one process

    def _cost(self, key: str, value: bytes) -> int:
        return sys.getsizeof(key) + sys.getsizeof(value) + self.ENTRY_OVERHEAD

    def _drop_idle(self, now: float) -> None:
        """Drop the least recently used entries not asked for in `idle` seconds (under the
        lock): the front of the order is the least recently used. Called at most every tenth
        of `idle` (a look on every use was half the cost of a memo hit)."""
        self._dropped_at = now
        items = self._items
        while items:
            key, entry = next(iter(items.items()))
            if now - entry[1] < self.idle:
                return
            del items[key]
            self.size -= self._cost(key, entry[0])

    def get(self, key: str) -> bytes | None:
        now = time.monotonic()
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                entry[1] = now
                self._items.move_to_end(key)
            if now - self._dropped_at >= self._drop_every:
                self._drop_idle(now)
            return None if entry is None else entry[0]

    def set(self, key: str, value: bytes) -> None:
        cost = self._cost(key, value)
        now = time.monotonic()
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= self._cost(key, old[0])
            if now - self._dropped_at >= self._drop_every:
                self._drop_idle(now)
            if cost > self.limit // 8:
                return  # a huge page would push out many small ones; render it each time
            self._items[key] = [value, now]
            self.size += cost
            while self.size > self.limit:
                dropped_key, dropped = self._items.popitem(last=False)
                self.size -= self._cost(dropped_key, dropped[0])

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


# Django's in-memory LRU cache for the few chromes and forms, private to this module.
PAGE_BYTES = 2 * 1024 * 1024
FORM_ENTRIES = 16
_pages = BytesLRU(PAGE_BYTES)
_forms = LocMemCache("aduan-portal-form-pages",
                     {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": FORM_ENTRIES,
                                                   "CULL_FREQUENCY": 2}})
# Unguessable, so text in a case cannot contain it and be replaced by a token.
TRACK_TEMPLATE = "portal/track.html"
CASE_TEMPLATE = "portal/_track_case.html"
_CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(28)
_FORM_TOKEN_PLACEHOLDER = "form" + secrets.token_hex(28)
_CODE_PLACEHOLDER = "code" + secrets.token_hex(28)
_CASE_PLACEHOLDER = "case" + secrets.token_hex(28)
_CSRF_BYTES = _CSRF_PLACEHOLDER.encode()
CHROME_ENTRIES = 16
# The chromes (`track_chrome`) in a plain dictionary keyed by `_where` (a LocMemCache pickled
# and unpickled the 10 kB chrome and hashed a key on every first lookup), emptied when full.
_chromes: dict[tuple[object, ...], tuple[object, ...]] = {}


def _where(request: HttpRequest) -> tuple[object, ...]:
    """What a public page's memo depends on besides its content: the office configuration
    version, the language, the office of the request (host name, path) and the path. Worked
    out once per request (a lookup asks twice: the page's key, the chrome's)."""
    where: tuple[object, ...] | None = getattr(request, "_aduan_page_where", None)
    if where is None:
        where = (refcache.version(), get_language(), request.get_host(),
                 getattr(getattr(request, "office", None), "pk", None),
                 request.get_full_path())
        request._aduan_page_where = where  # type: ignore[attr-defined]
    return where


# Django's own storages: they keep a visitor's messages in the `messages` cookie or the session.
_MESSAGE_STORES = frozenset({
    "django.contrib.messages.storage.fallback.FallbackStorage",
    "django.contrib.messages.storage.cookie.CookieStorage",
    "django.contrib.messages.storage.session.SessionStorage",
})


def _messages_waiting(request: HttpRequest) -> bool:
    """Whether the visitor has a flash message waiting, or one was added in this request.
    Without a `messages` or session cookie no message can be stored, and while the lazy
    storage (core/middleware.LazyMessageMiddleware) is not built nothing was added: then the
    storage is not built for the question (a cookie signer, the session storage, the session
    read, then the response's update: about 3 % of a first lookup, issue 17)."""
    storage = request.__dict__.get("_messages")
    if (isinstance(storage, SimpleLazyObject) and storage._wrapped is empty
            and settings.MESSAGE_STORAGE in _MESSAGE_STORES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES):
        return False
    return bool(len(messages.get_messages(request)))


def page_key(request: HttpRequest, code: str, case_id: int, state: str) -> str | None:
    """The memo key of the tracking page of `code` for the case `case_id` in `state` (its
    `updated_at`, read just now); None when the visitor has a flash message waiting."""
    if _messages_waiting(request):
        return None
    parts = (code, case_id, state, *_where(request))
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def page_get(request: HttpRequest, key: str) -> HttpResponse | None:
    body = _pages.get(key)
    return None if body is None else _response(request, body)


def page_render(request: HttpRequest, key: str, context: dict) -> HttpResponse:
    """The tracking page of `context["case"]`: the memoised page chrome (`track_chrome`) with
    the case's part rendered into it, memoised under `key` with a placeholder CSRF token."""
    context = {**context, "csrf_token": _CSRF_PLACEHOLDER}
    # The case's part in Python (portal/trackcase.py); the template when that declines.
    fragment = trackcase.render(context)
    if fragment is None:
        fragment = render_to_string(CASE_TEMPLATE, context)
    # The page as its pieces between its CSRF tokens, put together from the chrome's pieces
    # in bytes: only the typed code and the case's part are encoded per lookup. The chrome
    # has a character outside ASCII (its "·"), so encoding the whole page took Python's
    # character by character UTF-8 path over its 16 kB, and the chrome's placeholders were
    # replaced in two copies of it, the token in a third (issue 17).
    case = fragment.encode().split(_CSRF_BYTES)
    code = escape(context["code"]).encode()
    pieces: list[bytes] = []
    current: list[bytes] = []
    for piece in track_chrome(request):
        if isinstance(piece, bytes):
            current.append(piece)
        elif piece is _CODE:
            current.append(code)
        elif piece is _CASE:
            current.append(case[0])
            for rest in case[1:]:
                pieces.append(b"".join(current))
                current = [rest]
        else:  # _CSRF
            pieces.append(b"".join(current))
            current = []
    pieces.append(b"".join(current))
    _pages.set(key, _CSRF_BYTES.join(pieces))
    return _answer(masked_token(request).encode().join(pieces))


# The chrome's placeholders as `track_chrome` gives them, between its pieces of bytes.
_CODE, _CASE, _CSRF = object(), object(), object()
_MARKS = {_CODE_PLACEHOLDER: _CODE, _CASE_PLACEHOLDER: _CASE, _CSRF_PLACEHOLDER: _CSRF}
_CHROME_SPLIT = re.compile(f"({'|'.join(_MARKS)})")


def track_chrome(request: HttpRequest) -> tuple[object, ...]:
    """The tracking page without a case (header, both lookup forms, footer), rendered once per
    `_where`: its text as UTF-8 pieces with the marks `_CODE`, `_CASE` and `_CSRF` between
    them where the typed code, the case's part and the CSRF token go."""
    key = _where(request)
    chrome = _chromes.get(key)
    if chrome is None:
        text = render_to_string(TRACK_TEMPLATE, {
            "code": _CODE_PLACEHOLDER, "case_html": mark_safe(_CASE_PLACEHOLDER),  # noqa: S308
            "csrf_token": _CSRF_PLACEHOLDER}, request=request)
        chrome = tuple(_MARKS[part] if i % 2 else part.encode()
                       for i, part in enumerate(_CHROME_SPLIT.split(text)))
        if len(_chromes) >= CHROME_ENTRIES:
            _chromes.clear()
        _chromes[key] = chrome
    return chrome


def _response(request: HttpRequest, body: bytes,
              cache_control: str | None = "no-store") -> HttpResponse:
    return _answer(body.replace(_CSRF_BYTES, masked_token(request).encode()), cache_control)


def _answer(body: bytes, cache_control: str | None = "no-store") -> HttpResponse:
    """The page `body`, the visitor's token written in, as the answer."""
    response = HttpResponse(body)
    # The page carries the visitor's token: it varies on the cookie, also when the CSRF
    # middleware does not send the cookie again (core/csrftoken.py) and say so itself.
    response["Vary"] = "Cookie"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def form_page(request: HttpRequest, render: Callable[[str, str], str]) -> HttpResponse:
    """The blank form page. `render(csrf_token, form_token)` renders it; its result is kept
    per (configuration version, language, path) and each answer gets its own tokens."""
    from aduan.portal.throttle import form_token

    key = None
    if (settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not _messages_waiting(request)):
        parts = ("form", *_where(request))
        key = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    body = _forms.get(key) if key is not None else None
    if body is None:
        body = render(_CSRF_PLACEHOLDER, _FORM_TOKEN_PLACEHOLDER).encode()
        if key is not None:
            _forms.set(key, body)
    body = body.replace(_FORM_TOKEN_PLACEHOLDER.encode(), form_token().encode())
    return _response(request, body, cache_control=None)


# --- The form shown again (refill_page) ------------------------------------------------------

_VALUE_PLACEHOLDER = "value" + secrets.token_hex(24)
_PROBLEM_PLACEHOLDER = "problem" + secrets.token_hex(28)
# The refill skeletons by (`limited`, *`_where`): (literal parts, slots), a literal before and
# after every slot; None for a page that could not be cut (then every answer renders it).
# Emptied when full, like the chromes.
_refills: dict[tuple[object, ...], tuple[list[str], list[tuple[str, str, str]]] | None] = {}
_NOT_BUILT: Any = object()


Slot = tuple[int, int, tuple[str, str, str]]  # (start, end, (kind, field, option value))


def _once(page: str, pattern: str, slot: tuple[str, str, str]) -> list[Slot] | None:
    """The place of `pattern`'s group 1 as `slot`, when the pattern is found exactly once."""
    matches = list(re.finditer(pattern, page, re.S))
    if len(matches) != 1:
        return None
    return [(matches[0].start(1), matches[0].end(1), slot)]


def _field_slots(page: str, form: BaseForm, name: str) -> list[Slot] | None:
    """Where the placeholder form's page shows field `name`'s value, as its widget writes it;
    None for a widget this does not know or a place not found exactly once."""
    widget, html_name = form.fields[name].widget, re.escape(form.add_prefix(name))
    placeholder = re.escape(_VALUE_PLACEHOLDER + name)
    if isinstance(widget, FileInput):
        return []  # never refilled by the browser, and never written in
    if isinstance(widget, CheckboxInput):
        return _once(page, rf'<input type="checkbox" name="{html_name}"[^>]*?( checked)>',
                     ("check", name, ""))
    if isinstance(widget, Select):
        select = _once(page, rf'<select name="{html_name}"[^>]*>(.*?)</select>',
                       ("select", name, ""))
        if select is None or widget.allow_multiple_selected:
            return None
        start, end, _slot = select[0]
        # No option is chosen for the placeholder: each gets a slot for " selected".
        return [(start + option.end(1) + 1, start + option.end(1) + 1,
                 ("option", name, html.unescape(option.group(1))))
                for option in re.finditer(r'<option value="([^"]*)">', page[start:end])]
    if isinstance(widget, Textarea):
        return _once(page, rf'<textarea name="{html_name}"[^>]*>\n({placeholder})</textarea>',
                     ("text", name, ""))
    return _once(page, rf'<input type="[a-z]+" name="{html_name}"( value="{placeholder}")',
                 ("attr", name, ""))


def _cut(page: str, form: BaseForm) -> tuple[list[str], list[tuple[str, str, str]]] | None:
    """`page` (rendered from the placeholder form) as literal parts around slots. None when a
    field's place is not found (`_field_slots`) or a placeholder is left over."""
    found = _once(page, f"({re.escape(_PROBLEM_PLACEHOLDER)})", ("problem", "", ""))
    for name in form.fields:
        places = _field_slots(page, form, name)
        if found is None or places is None:
            return None
        found += places
    literals: list[str] = []
    slots: list[tuple[str, str, str]] = []
    at = 0
    for start, end, slot in sorted(found or []):
        literals.append(page[at:start])
        slots.append(slot)
        at = end
    literals.append(page[at:])
    if any(_VALUE_PLACEHOLDER in part or _PROBLEM_PLACEHOLDER in part for part in literals):
        return None
    return literals, slots


def _placeholder_form(form: BaseForm) -> BaseForm:
    """`form` bound to placeholders: every value its field's placeholder, every checkbox
    ticked, and no errors (its clean is never run: the placeholders are not valid input)."""
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        if not isinstance(field.widget, FileInput):
            data[form.add_prefix(name)] = ("on" if isinstance(field.widget, CheckboxInput)
                                           else _VALUE_PLACEHOLDER + name)
    shadow = copy.copy(form)  # the same (read-only) fields, office and options
    shadow.data, shadow.files = data, MultiValueDict()
    shadow._errors, shadow.cleaned_data = ErrorDict(), {}  # type: ignore[attr-defined]
    shadow._bound_fields_cache = {}  # type: ignore[attr-defined]
    return shadow


def _shown(form: BaseForm, name: str) -> object:
    """The posted value of field `name` as its widget shows it (`BoundField.value()` and the
    widget's `format_value`; for a checkbox, whether it is ticked)."""
    widget = form.fields[name].widget
    value = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    if isinstance(widget, CheckboxInput):
        return widget.check_test(value)
    return widget.format_value(value)


def _slot_text(kind: str, option: str, value: Any) -> str:
    """A slot's text for `value` (`_shown`), as the widget's template writes it."""
    if kind == "check":
        return " checked" if value else ""
    if kind == "option":
        return " selected" if option in value else ""
    if kind == "text":
        return escape(value) if value else ""
    return "" if value is None else f' value="{escape(value)}"'


def refill_page(request: HttpRequest, form: BaseForm, *, problem: str, limited: bool,
                render: Callable[[BaseForm, str, str], str]) -> HttpResponse | None:
    """The bound, error-free `form` shown again with one `problem`, from the memoised
    skeleton (see the module docstring); None when it must be rendered in full (a visitor
    with a session or a flash message, a page that cannot be cut). `render(form, problem,
    csrf_token)` renders the page; `limited` is part of the memo key (the page says it)."""
    if (settings.SESSION_COOKIE_NAME in request.COOKIES or _messages_waiting(request)
            or form.files):
        return None
    key = (limited, *_where(request))
    # One look-up, not a test then a read: another thread (gthread) may empty the full memo
    # in between, and the read raised KeyError (a 500 for a refused submission).
    skeleton = _refills.get(key, _NOT_BUILT)
    if skeleton is _NOT_BUILT:
        shadow = _placeholder_form(form)
        skeleton = _cut(render(shadow, _PROBLEM_PLACEHOLDER, _CSRF_PLACEHOLDER), shadow)
        if len(_refills) >= FORM_ENTRIES:
            _refills.clear()
        _refills[key] = skeleton
    if skeleton is None:
        return None
    literals, slots = skeleton
    parts = [literals[0]]
    shown: dict[str, object] = {}
    for (kind, name, option), literal in zip(slots, literals[1:], strict=True):
        text: str
        if kind == "problem":
            text = escape(problem)
        else:
            if name not in shown:
                shown[name] = _shown(form, name)
            text = _slot_text(kind, option, shown[name])
        parts += (text, literal)
    return _response(request, "".join(parts).encode(), cache_control=None)


def clear() -> None:
    _pages.clear()
    _chromes.clear()
    _forms.clear()
    _refills.clear()
