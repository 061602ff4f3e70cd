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
