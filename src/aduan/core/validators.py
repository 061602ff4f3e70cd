"""Validators for Indonesian identifiers: NIK (structure) and phone numbers."""

import re
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_nik(nik: str) -> str:
    """Check a NIK's structure: 16 digits, province/regency/district codes, birth date
    (day + 40 for women) and a non-zero sequence. A valid format proves nothing (SPEC §8)."""
    nik = (nik or "").strip().replace(" ", "")
    if len(nik) != 16 or not nik.isdigit():
        raise ValidationError(_("NIK harus terdiri dari 16 digit angka."), code="nik_length")
    province = int(nik[0:2])
    if not 11 <= province <= 99:
        raise ValidationError(_("Kode provinsi pada NIK tidak dikenal."), code="nik_province")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise ValidationError(_("Kode kabupaten/kecamatan pada NIK tidak valid."),
                              code="nik_region")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    try:
        date(2000 + year2 if year2 < 50 else 1900 + year2, month, day)
    except ValueError:
        raise ValidationError(_("Tanggal lahir pada NIK tidak valid."),
                              code="nik_birthdate") from None
    if nik[12:16] == "0000":
        raise ValidationError(_("Nomor urut pada NIK tidak valid."), code="nik_sequence")
    return nik


# Valid numbers already normalised, by what was typed and by their E.164 form: a web form's
# number is normalised by the form and again by the service that stores it.
_E164: dict[str, str] = {}
# A national number as typed on a phone's keypad: the prefix 0, then digits (the first not 0).
_NATIONAL_DIGITS = re.compile(r"0([1-9][0-9]{5,13})")


def normalize_phone(raw: str) -> str:
    """Parse an Indonesian or international number into E.164 (`+6281268610005`)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if (known := _E164.get(raw)) is not None:
        return known
    if (national := _NATIONAL_DIGITS.fullmatch(raw)) is not None:
        # What `phonenumbers.parse(raw, "ID")` makes of a national number typed as digits only
        # (Indonesia's national prefix "0", nothing else to strip): the number after the 0.
        # parse() was four fifths of this function's time (80 of 100 us; issue 17); validity
        # is still checked below. Same answers as parse() (core/tests/test_validators.py).
        number = phonenumbers.PhoneNumber(country_code=62,
                                          national_number=int(national.group(1)))
    else:
        try:
            number = phonenumbers.parse(raw, "ID")
        except phonenumbers.NumberParseException:
            raise ValidationError(_("Nomor telepon tidak valid."),
                                  code="phone_invalid") from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Nomor telepon tidak valid. Contoh format: 0812-6861-0005 atau +6281268610005."),
            code="phone_invalid",
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if len(_E164) > 10_000:
        _E164.clear()
    _E164[raw] = _E164[e164] = e164
    return e164


def format_phone_local(e164: str) -> str:
    """`+6281268610005` -> `0812-6861-0005` for display to staff."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = "0" + str(number.national_number)
    return "-".join(national[i : i + 4] for i in range(0, len(national), 4))
