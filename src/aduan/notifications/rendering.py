"""Render message templates with Django's template language from a safe, plain-string context.

The engine has no loaders and no tag libraries beyond the built-ins, and autoescaping is off
because every message is plain text (e-mail text/plain, WhatsApp, SMS). The context holds only
strings prepared here: no model instances (so no method calls from templates) and no personal
data beyond the reporter's name used in the greeting.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, reverse
from django.utils import formats

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


def render_text(text: str, context: dict[str, Any]) -> str:
    return compile_template(text).render(Context(context, autoescape=False)).strip()


def public_url(path: str) -> str:
    return settings.ADUAN_PUBLIC_URL.rstrip("/") + path


def tracking_url(code: str) -> str:
    """The public tracking page. The code itself is not put in the URL: the portal takes it by
    POST to keep it out of logs and referrers, so messages give the code beside the link."""
    del code
    try:
        return public_url(reverse("portal:track"))
    except NoReverseMatch:
        return public_url("/lacak/")


def survey_url() -> str:
    """The public satisfaction survey (open to every service user)."""
    try:
        return public_url(reverse("portal:survey"))
    except NoReverseMatch:
        return public_url("/survei/")


def case_url(complaint_id: int) -> str:
    try:
        return public_url(reverse("desk:complaint-detail", kwargs={"complaint_id": complaint_id}))
    except NoReverseMatch:
        return public_url(f"/desk/pengaduan/{complaint_id}/")


def format_date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short_body: str
