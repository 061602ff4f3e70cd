"""Contacts a citizen can act on from a phone: a number is a tap-to-call link (`tel:`), a
WhatsApp number also a tap-to-chat link (`https://wa.me/`), an SMS number a tap-to-text link,
an e-mail address a `mailto:` link. Anything else (an address, a handle) stays text."""

from __future__ import annotations

from django import template
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from aduan.core.validators import format_phone_local, normalize_phone

register = template.Library()


def phone_e164(text: str) -> str:
    """`text` as an E.164 number, or "" when it is not one phone number."""
    text = (text or "").strip()
    if not text or any(c.isalpha() for c in text):
        return ""
    try:
        return normalize_phone(text)
    except ValidationError:
        return ""


@register.simple_tag
def phone_link(text: str) -> SafeString:
    """A tap-to-call link for a phone number; other text as it is."""
    e164 = phone_e164(text)
    if not e164:
        return format_html("{}", text)
    return format_html('<a href="tel:{}" class="tel-link">{}</a>', e164, format_phone_local(e164))


@register.simple_tag
def channel_contact(channel: object) -> SafeString:
    """The contact of a channel as the links its kind allows (see the module docstring)."""
    contact = getattr(channel, "contact", "") or ""
    kind = getattr(channel, "kind", "")
    e164 = phone_e164(contact)
    if e164:
        links = [("tel:" + e164, "tel-link", format_phone_local(e164))]
        if kind == "whatsapp":
            links.append(("https://wa.me/" + e164.lstrip("+"), "wa-link", _("Chat WhatsApp")))
        if kind in ("whatsapp", "sms"):
            links.append(("sms:" + e164, "sms-link", _("Kirim SMS")))
        return format_html_join(" · ", '<a href="{}" class="{}">{}</a>', links)
    if kind == "email" and "@" in contact and " " not in contact.strip():
        return format_html('<a href="mailto:{0}" class="mail-link">{0}</a>', contact.strip())
    return format_html("{}", contact)
