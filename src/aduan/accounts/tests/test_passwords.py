"""Password rules: length, common list, username inside, repetition and sequences."""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.accounts.models import User
from aduan.accounts.validators import RepetitionValidator, UsernameInPasswordValidator
from aduan.demo.users import DEMO_PASSWORD, DEMO_USERS


def _refused(password: str, username: str = "kadis") -> bool:
    try:
        validate_password(password, User(username=username, first_name="Muhammad",
                                         last_name="Thaib", email=f"{username}@contoh.id"))
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("password", [
    "kadiskadis",            # the example: the username twice
    "Kadis-Bengkalis-2025",  # the username inside, any case
    "sidak-bengkalis-2025",  # the username backwards
    "aduan-demo",            # the old demo password: too short
    "password1234",          # common
    "123456789012",          # numeric, a sequence
    "aaaaaaaaaaaaaaaa",      # one character
    "abcabcabcabcabc",       # one block repeated
    "qwertyuiop12",          # a keyboard row
    "abcdefghijklm1",        # the alphabet
    "ab12ab12ab12ab",        # a block with digits repeated
    "zzzz1111zzzz",          # few distinct characters
])
def test_weak_passwords_are_refused(password):
    assert _refused(password)


@pytest.mark.parametrize("password", [
    "Bengkalis-2025-aman", "kopi pagi di pelabuhan", "Sungai Siak 7 Jembatan", DEMO_PASSWORD,
])
def test_reasonable_passwords_pass(password):
    assert not _refused(password)


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_demo_password_passes_the_rules_for_every_demo_user(username):
    assert not _refused(DEMO_PASSWORD, username)


@given(st.text(min_size=1, max_size=6), st.integers(min_value=2, max_value=8))
@settings(max_examples=200, deadline=None)
def test_any_repeated_block_is_refused(block, times):
    password = block * times
    with pytest.raises(ValidationError):
        RepetitionValidator().validate(password)


def test_repetition_check_is_linear_on_a_huge_password():
    # 200,000 characters (a block of 5,000 repeated): quadratic code would take minutes.
    with pytest.raises(ValidationError):
        RepetitionValidator().validate("".join(chr(0x4E00 + i % 5000) for i in range(200_000)))
    UsernameInPasswordValidator().validate("x" * 200_000, User(username="petugas"))


@given(st.text(max_size=64))
@settings(max_examples=300, deadline=None)
def test_validators_never_crash(password):
    for validator in (RepetitionValidator(), UsernameInPasswordValidator()):
        with contextlib.suppress(ValidationError):
            validator.validate(password, User(username="petugas"))
