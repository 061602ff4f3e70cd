"""Portal rough edges: contacts are links a phone can act on, help and error texts are linked
to their fields, the form says what is optional, status badges are readable (WCAG AA)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from aduan.portal.templatetags.portal_contact import channel_contact, phone_link

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "static" / "css"


def test_home_page_numbers_are_tap_to_call_and_whatsapp_tap_to_chat(client, portal_office):
    html = client.get(reverse("portal:home")).text
    assert 'href="tel:+6281268610005"' in html
    assert 'href="https://wa.me/6281268610005"' in html
    assert 'href="mailto:dpmptsp@bengkaliskab.go.id"' in html
    # An address or an SMS keyword stays text.
    assert "SMS BENGKALIS&lt;spasi&gt;ADUAN ke 1708" in html
    assert 'href="tel:1708"' not in html


class _Channel:
    def __init__(self, kind: str, contact: str) -> None:
        self.kind, self.contact = kind, contact


@pytest.mark.parametrize(("kind", "contact", "expected", "absent"), [
    ("whatsapp", "0812-6861-0005", ["tel:+6281268610005", "https://wa.me/6281268610005",
                                     "sms:+6281268610005"], []),
    ("sms", "+62 812 6861 0005", ["tel:+6281268610005", "sms:+6281268610005"], ["wa.me"]),
    ("manual", "081268610005", ["tel:+6281268610005"], ["wa.me", "sms:"]),
    ("manual", "Jl. Perwira No. 1", [], ["href"]),
    ("email", "a@b.id", ["mailto:a@b.id"], []),
    ("whatsapp", '<script>alert(1)</script>', ["&lt;script&gt;"], ["<script>", "href"]),
    ("whatsapp", "12", [], ["href"]),
])
def test_channel_contact_links(kind, contact, expected, absent):
    html = str(channel_contact(_Channel(kind, contact)))
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


def test_phone_link_for_office_phone_and_plain_text_otherwise():
    assert 'href="tel:+6281268610005"' in str(phone_link("081268610005"))
    assert str(phone_link("Hubungi loket")) == "Hubungi loket"


def _describedby_targets_exist(html: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    missing = []
    for value in re.findall(r'aria-describedby="([^"]+)"', html):
        missing += [ref for ref in value.split() if ref not in ids]
    return missing


def test_help_and_error_texts_are_linked_to_their_fields(client, portal_office, form_data):
    html = client.get(reverse("portal:submit")).text
    assert 'aria-describedby="id_nik_helptext"' in html
    assert _describedby_targets_exist(html) == []
    html = client.post(reverse("portal:submit"),
                       form_data(description="", nik="123", consent=None)).text
    assert 'id="id_description_error"' in html
    assert _describedby_targets_exist(html) == []
    html = client.post(reverse("portal:track"), {"code": ""}).text
    assert 'aria-describedby="id_code_error"' in html
    assert _describedby_targets_exist(html) == []


def test_submit_form_says_what_is_required_and_what_is_optional(client, portal_office):
    html = client.get(reverse("portal:submit")).text
    assert "Kolom bertanda * wajib diisi; kolom lain boleh dikosongkan." in html


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_status_badges_meet_wcag_aa_contrast():
    css = "\n".join(p.read_text() for p in STATIC.glob("*.css"))
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    rules = re.findall(r"([^{}]*\.(?:status|badge)[^{}]*)\{([^}]*)\}", css)
    checked = 0
    for selector, body in rules:
        bg = re.search(r"background:\s*(#[0-9a-fA-F]{6})", body)
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|var\(--([\w-]+)\))", body)
        if not (bg and fg):
            continue
        colour = variables[fg.group(2)] if fg.group(2) else fg.group(1)
        ratio = _contrast(colour, bg.group(1))
        assert ratio >= 4.5, f"{selector.strip()}: {ratio:.2f}:1"
        checked += 1
    assert checked >= 5
