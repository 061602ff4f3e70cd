"""Render message templates with Django's template language from a safe, plain-string context.

The engine has no loaders and no tag libraries beyond the built-ins, and autoescaping is off
because every message is plain text (e-mail text/plain, WhatsApp, SMS). The context holds only
strings prepared here: no model instances (so no method calls from templates) and no personal
data beyond the reporter's name used in the greeting.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Engine, Template
from django.template.base import TextNode, Variable, VariableNode
from django.template.defaultfilters import default as default_filter
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats
from django.utils.translation import get_language

CONTEXT_HELP = (
    "office_name, office_short_name, office_phone, register_number, tracking_code, "
    "tracking_url, complaint_subject, received_date, due_date, settle_days, status, message, "
    "agency_name, agency_contact, completion_due_date, auto_close_date, reporter_name; "
    "reminders: is_overdue, days_left, unit_name, case_url; forwards: previous_office_name, "
    "previous_register_number, reason"
)


@functools.cache
def _engine() -> Engine:
    return Engine(dirs=[], app_dirs=False, autoescape=False, libraries={}, loaders=[])


@functools.lru_cache(maxsize=256)
def compile_template(text: str) -> Template:
    """Compiled once per distinct text (templates are edited rarely, rendered on every event)."""
    return _engine().from_string(text or "")


# A compiled message as plain parts: (literal text, None, None), or ("", a context name, the
# literal that `|default:'...'` gives when the value is empty, None without the filter).
_Part = tuple[str, str | None, str | None]


@functools.lru_cache(maxsize=256)
def _plain_parts(text: str) -> tuple[_Part, ...] | None:
    """The template as parts when it holds nothing but text, `{{ name }}` and
    `{{ name|default:'literal' }}` (every default message and most offices' own); None for
    anything else (tags, other filters, dotted names, translation, a translated default),
    which Django renders."""
    parts: list[_Part] = []
    for node in compile_template(text).nodelist:
        if type(node) is TextNode:
            parts.append((node.s, None, None))
            continue
        if type(node) is not VariableNode:
            return None
        expression = node.filter_expression
        var = expression.var
        if (not isinstance(var, Variable) or var.literal is not None or var.translate
                or var.lookups is None or len(var.lookups) != 1
                or var.lookups[0] in ("True", "False", "None")):  # the Context's built-ins
            return None
        fallback: str | None = None
        if expression.filters:
            if len(expression.filters) != 1:
                return None
            func, args = expression.filters[0]
            # A quoted literal only: `default:_("...")` is a lazy translation the engine
            # translates at each rendering, in that rendering's language; kept here as text it
            # would stay in the language of the first rendering of this text.
            if (func is not default_filter or len(args) != 1 or args[0][0]
                    or not isinstance(args[0][1], str)):  # a lazy translation is no str
                return None
            fallback = str(args[0][1])
        parts.append(("", var.lookups[0], fallback))
    return tuple(parts)


def render_text(text: str, context: dict[str, Any]) -> str:
    """Render a message template. A template of text and plain variables over a context of
    strings is joined directly: the same characters as Django's engine gives (autoescaping off,
    a missing name renders empty, `default` is `value or arg`), without building a Context
    and rendering nodes on every message (a receipt rendered three texts in every web
    submission's transaction; issue 17). Anything else goes through the engine."""
    parts = _plain_parts(text)
    if parts is not None:
        out = []
        for literal, name, fallback in parts:
            if name is None:
                out.append(literal)
                continue
            value = context.get(name, "")
            if type(value) is not str:
                break  # numbers, dates, lazy text: the engine's own conversion
            out.append((value or fallback) if fallback is not None else value)
        else:
            return "".join(out).strip()
    return compile_template(text).render(Context(context, autoescape=False)).strip()


def public_url(path: str) -> str:
    return settings.ADUAN_PUBLIC_URL.rstrip("/") + path


@functools.lru_cache(maxsize=64)
def _page_url(name: str, fallback: str, public: str, urlconf: object, prefix: str) -> str:
    """A public page's absolute address, reversed once per URL configuration: every receipt
    names the same two pages."""
    del public, urlconf, prefix  # the cache key: what reverse() and public_url() depend on
    try:
        return public_url(reverse(name))
    except NoReverseMatch:
        return public_url(fallback)


def _public_page(name: str, fallback: str) -> str:
    return _page_url(name, fallback, settings.ADUAN_PUBLIC_URL, get_urlconf() or
                     settings.ROOT_URLCONF, get_script_prefix())


def tracking_url(code: str) -> str:
    """The public tracking page. The code itself is not put in the URL: the portal takes it by
    POST to keep it out of logs and referrers, so messages give the code beside the link."""
    del code
    return _public_page("portal:track", "/lacak/")


def survey_url() -> str:
    """The public satisfaction survey (open to every service user)."""
    return _public_page("portal:survey", "/survei/")


def case_url(complaint_id: int) -> str:
    try:
        return public_url(reverse("desk:complaint-detail", kwargs={"complaint_id": complaint_id}))
    except NoReverseMatch:
        return public_url(f"/desk/pengaduan/{complaint_id}/")


def format_date(value: Any) -> str:
    if not value:
        return ""
    if type(value) is dt.date:  # a receipt formats two dates, the same ones all day long
        return _format_day(value, get_language())
    return formats.date_format(value, "DATE_FORMAT")


@functools.lru_cache(maxsize=1024)
def _format_day(value: dt.date, language: str | None) -> str:
    del language  # the cache key: the month's name and the format are the active language's
    return formats.date_format(value, "DATE_FORMAT")


@receiver(setting_changed)
def _forget_formats(*, setting: str, **_: Any) -> None:
    """Tests that change a format, the URLs or the public address get fresh answers."""
    if setting in ("DATE_FORMAT", "FORMAT_MODULE_PATH", "LANGUAGE_CODE", "USE_L10N",
                   "ADUAN_PUBLIC_URL", "ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _format_day.cache_clear()
        _page_url.cache_clear()


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short_body: str
