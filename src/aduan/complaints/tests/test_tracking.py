"""Tracking codes people can read aloud and type on a phone, and public ids that grant
nothing (complaints/tracking.py): format, entropy, normalisation, legacy codes, lookups."""

from __future__ import annotations

import math
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.complaints import tracking
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.complaints.selectors import complaint_get_by_tracking_code, tracked_get
from aduan.complaints.submissions import Once, submission_accept
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import NotFound

GROUPED = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
canonical = st.text(alphabet=tracking.ALPHABET, min_size=16, max_size=16)
separators = st.sampled_from(["", " ", "-", ".", "  ", " - ", "\u2013", "\t"])


def test_a_new_code_is_grouped_unambiguous_and_holds_80_bits():
    codes = {tracking.new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(GROUPED.fullmatch(code) for code in codes)
    assert len(tracking.ALPHABET) == 32 and not set("ILOU") & set(tracking.ALPHABET)
    assert tracking.CODE_LENGTH * math.log2(len(tracking.ALPHABET)) >= 80
    # Every symbol is used (the generator draws from the whole alphabet).
    assert set("".join(codes).replace("-", "")) == set(tracking.ALPHABET)


@given(code=canonical, seps=st.lists(separators, min_size=15, max_size=15),
       lower=st.lists(st.booleans(), min_size=16, max_size=16),
       pad=st.tuples(st.sampled_from(["", " ", "\n"]), st.sampled_from(["", " ", "\n"])))
def test_any_case_and_any_separators_read_back_as_the_code(code, seps, lower, pad):
    typed = "".join(
        (ch.lower() if low else ch) + (seps[i] if i < 15 else "")
        for i, (ch, low) in enumerate(zip(code, lower, strict=True)))
    typed = pad[0] + typed + pad[1]
    assert tracking.normalise_code(typed) == tracking.format_code(code)
    assert tracking.code_candidates(typed)[0] == tracking.format_code(code)
    assert tracking.code_rate_key(typed) == tracking.code_rate_key(tracking.format_code(code))


@given(code=canonical, data=st.data())
def test_letters_heard_as_digits_are_read_as_the_digits(code, data):
    # Crockford: O is 0, I and L are 1 (said aloud or read off a bad print).
    spoken = "".join(
        data.draw(st.sampled_from({"0": "0oO", "1": "1iIlL"}.get(ch, ch))) for ch in code)
    assert tracking.normalise_code(spoken) == tracking.format_code(code)


@given(st.text(max_size=80))
def test_normalising_never_fails_and_only_yields_grouped_codes(text):
    grouped = tracking.normalise_code(text)
    assert grouped is None or GROUPED.fullmatch(grouped)
    candidates = tracking.code_candidates(text)
    assert len(candidates) <= 2
    assert all(len(c) <= 19 for c in candidates)
    assert re.fullmatch(r"[0-9a-f]{24}", tracking.code_rate_key(text))


@given(st.text(alphabet=tracking.ALPHABET, min_size=0, max_size=40).filter(
    lambda t: len(t) != 16))
def test_wrong_lengths_are_not_codes(text):
    assert tracking.normalise_code(text) is None


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=16, max_size=16))
def test_a_code_of_the_old_format_is_looked_up_as_typed(old):
    candidates = tracking.code_candidates(old)
    assert old in candidates


@settings(max_examples=50)
@given(st.just(None))
def test_public_ids_can_never_be_taken_for_a_tracking_code(_):
    public_id = tracking.new_public_id()
    assert re.fullmatch(r"[0-9a-f]{14}", public_id)
    assert tracking.code_candidates(public_id) == []
    assert tracking.code_candidates(public_id.upper()) == []


@pytest.mark.django_db
def test_lookups_accept_every_spelling_and_answer_alike_for_anything_else(office):
    complaint = register_complaint(office)
    code = complaint.tracking_code
    assert GROUPED.fullmatch(code)
    assert re.fullmatch(r"[0-9a-f]{14}", complaint.public_id)
    for typed in (code, code.lower(), code.replace("-", ""), code.replace("-", " ").lower(),
                  f"  {code}  ", code.replace("0", "O").replace("1", "l")):
        assert complaint_get_by_tracking_code(typed).pk == complaint.pk
    secret = register_complaint(office, is_secret=True)
    for wrong in ("", " ", code[:-1], code + "X", complaint.public_id, complaint.register_number,
                  secret.tracking_code, "x" * 10_000, "'; DROP TABLE x; --", "\x00" * 16,
                  tracking.new_tracking_code()):
        with pytest.raises(NotFound) as raised:
            complaint_get_by_tracking_code(wrong)
        assert raised.value.message == NotFound().message


@pytest.mark.django_db
def test_codes_issued_before_the_grouped_format_keep_working(office):
    complaint = register_complaint(office)
    for old in ("Zq3_xK9-aB7cD2eF", "abcdefghjkmnpqrs"):
        Complaint.objects.filter(pk=complaint.pk).update(tracking_code=old)
        assert complaint_get_by_tracking_code(old).pk == complaint.pk
        assert complaint_get_by_tracking_code(f" {old} ").pk == complaint.pk
    # Old codes are case-sensitive: another case is another code (96 bits stay 96 bits).
    with pytest.raises(NotFound):
        complaint_get_by_tracking_code("ABCDEFGHJKMNPQRS")


def test_a_new_code_is_one_draw_of_80_bits_five_bits_a_symbol(monkeypatch):
    # One call to the system's generator per code (issue 17), each 5-bit value written as
    # the alphabet's symbol of that value, most significant first: the two draws below hold
    # the values 0-15 and 16-31, so every symbol is checked.
    draws = iter([bytes.fromhex("00443214c74254b635cf"), bytes.fromhex("84653a56d7c675be77df")])
    sizes = []

    def token_bytes(n):
        sizes.append(n)
        return next(draws)

    monkeypatch.setattr(tracking.secrets, "token_bytes", token_bytes)
    alphabet = tracking.ALPHABET
    assert tracking.new_tracking_code() == tracking.format_code(alphabet[:16])
    assert tracking.new_tracking_code() == tracking.format_code(alphabet[16:])
    assert sizes == [10, 10]


@pytest.mark.django_db
def test_one_door_finds_a_case_or_a_waiting_submission_and_answers_every_miss_alike(
        office, settings, django_assert_num_queries):
    # The database task queue: the accepted row waits for a worker that does not run here.
    settings.TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    complaint = register_complaint(office)
    secret = register_complaint(office, is_secret=True)
    row = submission_accept(once=Once("web", "door-1"), office_id=office.pk, fields={"v": 1})
    waiting = row.key.tracking_code
    assert not Complaint.objects.filter(tracking_code=waiting).exists()
    typed = waiting.replace("-", " ").lower().replace("0", "o")
    with django_assert_num_queries(2):  # no case, then the waiting row
        found = tracked_get(typed, pending=True)
    assert isinstance(found, SubmissionKey) and found.pk == row.key.pk
    with django_assert_num_queries(1):  # the caller read the case its own way already
        assert tracked_get(typed, case=False, pending=True).pk == row.key.pk
    with django_assert_num_queries(1):
        assert tracked_get(complaint.tracking_code.lower(), pending=True).pk == complaint.pk
    with pytest.raises(NotFound):  # a waiting row is not a case
        complaint_get_by_tracking_code(waiting)
    for wrong, statements in ((secret.tracking_code, 2), (tracking.new_tracking_code(), 2),
                              ("x" * 10_000, 0), ("", 0), (complaint.public_id, 0)):
        with django_assert_num_queries(statements), pytest.raises(NotFound) as raised:
            tracked_get(wrong, pending=True)
        assert raised.value.message == NotFound().message
