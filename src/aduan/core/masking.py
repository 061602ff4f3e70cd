"""Masking of personal data for public pages, reports and exports (SPEC §6).

Masks keep part of a value, so they are only for a reporter whose identity the viewer may see
anyway (a named reporter in the register, the inbox sender to the complaint team). A
confidential reporter is never masked, only hidden (complaints/privacy.py): initials, word
lengths or half a phone number identify people in a regency.
"""

import re

_DIGITS = re.compile(r"\D")


def mask_phone(phone: str | None) -> str:
    """`+6287863741234` or `087863741234` -> `0878-6374-xxxx` (the seed report's format)."""
    if not phone:
        return ""
    digits = _DIGITS.sub("", phone)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if len(digits) < 8:
        return "x" * len(digits)
    head = digits[:-4]
    groups = [head[i : i + 4] for i in range(0, len(head), 4)]
    return "-".join([*groups, "xxxx"])


def mask_email(email: str | None) -> str:
    """`ayundarahmi90@gmail.com` -> `ay***@gmail.com`."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}"


def mask_nik(nik: str | None) -> str:
    """Keep the region code (first 6 digits) only: `1403021104907328` -> `140302xxxxxxxxxx`."""
    if not nik:
        return ""
    return nik[:6] + "x" * (len(nik) - 6)
