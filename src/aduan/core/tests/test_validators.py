import pytest
from django.core.exceptions import ValidationError

from aduan.core.masking import mask_email, mask_nik, mask_phone
from aduan.core.validators import format_phone_local, normalize_phone, validate_nik


def test_nik_from_the_seed_form_is_valid():
    assert validate_nik("1403021104907328") == "1403021104907328"


def test_nik_of_a_woman_has_day_plus_forty():
    assert validate_nik("1403025104907328")  # 51 -> 11th


@pytest.mark.parametrize("nik", ["123", "140302110490732X", "0003021104907328",
                                 "1400001104907328", "1403023204907328", "1403021104900000"])
def test_invalid_niks_are_refused(nik):
    with pytest.raises(ValidationError):
        validate_nik(nik)


@pytest.mark.parametrize("raw", ["081268610005", "0812-6861-0005", "+62 812 6861 0005",
                                 "6281268610005"])
def test_indonesian_phone_formats_normalise(raw):
    assert normalize_phone(raw) == "+6281268610005"
    assert format_phone_local("+6281268610005") == "0812-6861-0005"


@pytest.mark.parametrize("raw", ["12", "08", "abc", "0812-68"])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_masking_matches_the_report():
    assert mask_phone("+6287863741234") == "0878-6374-xxxx"
    assert mask_phone("081268610005") == "0812-6861-xxxx"
    assert mask_email("ayundarahmi90@gmail.com") == "ay***@gmail.com"
    assert mask_nik("1403021104907328") == "140302xxxxxxxxxx"


def _by_parse(raw):  # type: ignore[no-untyped-def]
    """What normalize_phone answered before its digits-only fast path: phonenumbers.parse."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_digits_only_numbers_normalise_as_phonenumbers_parses_them():
    import random

    from aduan.core import validators

    rng = random.Random(17)
    raws = ["0" + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 15)))
            for _ in range(3000)]
    raws += ["08" + "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 12)))
             for _ in range(3000)]
    for raw in raws:
        validators._E164.clear()
        try:
            ours = normalize_phone(raw)
        except ValidationError:
            ours = None
        assert ours == _by_parse(raw), raw


def test_a_mobile_number_typed_as_digits_is_not_parsed_by_phonenumbers(monkeypatch):
    import phonenumbers

    from aduan.core import validators

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed")

    validators._E164.clear()
    monkeypatch.setattr(phonenumbers, "parse", refuse)
    assert normalize_phone("081268619999") == "+6281268619999"
    with pytest.raises(ValidationError):
        normalize_phone("0812345")  # digits only, too short: refused without parse() too
