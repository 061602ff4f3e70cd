"""The shared input guards: the text validator, the cell neutraliser, the limiter failing
open, and the request-size limit (the client address behind proxies: test_proxy.py)."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aduan.core import ratelimit
from aduan.core.cells import neutralise_cell
from aduan.core.text import clean_text, has_unsafe_characters


@pytest.mark.parametrize(("raw", "clean"), [
    ("Rahmi\x1b[31m Ayunda\x07", "Rahmi[31m Ayunda"),
    ("a\u202eadmin\u202c b", "aadmin b"),
    ("\u2067Siti\u2069", "Siti"),
    ("baris 1\r\nbaris 2\tx", "baris 1\nbaris 2\tx"),
    ("C1\x85\x9bcontrol", "C1control"),
    ("\u0627\u062d\u0645\u062f", "\u0627\u062d\u0645\u062f"),  # Arabic letters are kept
])
def test_clean_text_strips_controls_and_bidi_overrides(raw, clean):
    assert clean_text(raw) == clean


@given(st.text())
def test_clean_text_never_returns_unsafe_characters(raw):
    cleaned = clean_text(raw)
    assert not has_unsafe_characters(cleaned)
    assert clean_text(cleaned) == cleaned
    assert "\n" not in clean_text(raw, multiline=False)


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                   "\t=cmd", "\uff1dSUM(A1)"])
def test_formula_like_cells_become_text(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Rahmi", 12, 3.5, None, "", "a=b"])
def test_other_cells_pass_unchanged(value):
    assert neutralise_cell(value) == value


def test_the_limiter_counts_and_answers_retry_after(settings):
    settings.ADUAN_RATE_LIMITS = {"web_submit": (2, 3600)}
    from django.core.cache import cache

    cache.clear()
    assert ratelimit.rate_count("web_submit", "a") is None
    assert ratelimit.rate_count("web_submit", "a") is None
    assert 0 < ratelimit.rate_count("web_submit", "a") <= 3600
    assert ratelimit.rate_count("web_submit", "b") is None


def test_the_limiter_fails_open_with_a_warning_when_its_cache_is_down(monkeypatch, caplog):
    # A real Redis client pointed at a port where nothing listens: the cache is down.
    from django.core.cache.backends.redis import RedisCache

    down = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(ratelimit, "cache", down)
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (20, 3600))
    ratelimit._last_warning[0] = 0.0
    # Listen on the limiter's own logger: another test may have changed propagation.
    caplog.set_level(logging.WARNING, logger="aduan.core.ratelimit")
    logging.getLogger("aduan.core.ratelimit").addHandler(caplog.handler)
    try:
        for _ in range(50):
            assert ratelimit.rate_count("web_submit", "203.0.113.1") is None  # let through
            ratelimit.check_rate("web_submit", "203.0.113.1")
        assert "rate limiter's cache unreachable" in caplog.text
        warnings = {id(r) for r in caplog.records if "cache unreachable" in r.getMessage()}
        assert len(warnings) == 1  # once a minute, not once per request
    finally:
        logging.getLogger("aduan.core.ratelimit").removeHandler(caplog.handler)
        down.close()
