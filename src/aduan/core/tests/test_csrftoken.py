"""The page's CSRF token drawn in one read (core/csrftoken.py): Django's token, Django's
cookie renewal, a fresh uniform mask per response."""

from __future__ import annotations

from collections import Counter
from unittest import mock

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from aduan.core import csrftoken
from aduan.core.csrftoken import masked_token


def _request(secret: str | None):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_is_djangos_masked_secret_fresh_each_time_and_renews_the_cookie():
    secret = _get_new_csrf_string()
    request = _request(secret)
    tokens = {masked_token(request) for _ in range(200)}
    assert len(tokens) == 200  # a fresh mask per response (BREACH)
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_without_a_secret_django_makes_one():
    request = _request(None)
    token = masked_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_bytes_past_the_last_whole_alphabet_are_dropped_so_the_mask_is_uniform():
    reads = iter([bytes([0, 61, 62, 123, 247, 248, 255]) + b"\xff" * 33, bytes(range(40))])
    with mock.patch.object(csrftoken.os, "urandom", side_effect=lambda n: next(reads)[:n]):
        mask = csrftoken._mask(32)
    # 0, 61, 62 % 62, 123 % 62, 247 % 62 kept; 248 and 255 dropped; the rest from a 2nd read.
    assert mask[:5] == [0, 61, 0, 61, 61]
    assert mask[5:] == list(range(27))
    # Over many draws every character of the alphabet appears about equally often.
    counts = Counter(i for _ in range(2000) for i in csrftoken._mask(32))
    assert set(counts) == set(range(62))
    assert max(counts.values()) < 2 * min(counts.values())
