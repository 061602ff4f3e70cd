"""The shared input guards: the text validator, the cell neutraliser, the limiter failing
open, and the request-size limit (the client address behind proxies: test_proxy.py)."""

from __future__ import annotations

import logging
import os

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


def test_the_limiter_counts_on_redis_in_one_round_trip(monkeypatch, settings):
    """On Redis (production's cache) each count is one pipeline: the counter is created with
    its expiry, then incremented; the limit holds and the stored value is a plain count."""
    from django.core.cache.backends.redis import RedisCache

    real = RedisCache(os.environ.get("ADUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
                      {"KEY_PREFIX": f"test-rl-{os.getpid()}"})
    monkeypatch.setattr(ratelimit, "cache", real)
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (3, 3600))
    client = real._cache.get_client(write=True)
    sent: list[int] = []
    execute = type(client.pipeline()).execute

    def counting(pipe, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(len(pipe.command_stack))
        return execute(pipe, *args, **kwargs)

    monkeypatch.setattr(type(client.pipeline()), "execute", counting)
    ident = f"198.51.100.{os.getpid() % 250}"
    key = ""
    now = 1_800_000_000 + 1800  # mid-window: the four counts fall in one window
    monkeypatch.setattr(ratelimit.time, "time", lambda: float(now))
    try:
        assert [ratelimit.rate_count("web_submit", ident) for _ in range(3)] == [None] * 3
        retry = ratelimit.rate_count("web_submit", ident)
        assert retry is not None and 0 < retry <= 3600
        assert sent == [2, 2, 2, 2]  # one round trip of two commands per count
        key = f"aduan-rl:web_submit:{ident}:{now - now % 3600}"
        assert real.get(key) == 4
        assert 0 < client.ttl(real.make_and_validate_key(key)) <= 3601
    finally:
        real.delete(key)
        real.close()


def test_production_counts_through_the_cache_proxy_in_one_round_trip(monkeypatch, settings):
    """Production reaches the cache through Django's per-thread proxy (`cache`), which an
    isinstance() test does not see through: the limiter must still find the Redis backend and
    count in one pipeline (it used to fall back to add-then-incr, up to three round trips)."""
    from django.core.cache import cache, caches

    from aduan.core.cache import ResilientRedisCache

    settings.CACHES = {"default": {
        "BACKEND": "aduan.core.cache.ResilientRedisCache",
        "LOCATION": os.environ.get("ADUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "KEY_PREFIX": f"test-rl-proxy-{os.getpid()}"}}
    monkeypatch.setattr(ratelimit, "cache", cache)  # the proxy, as imported in production
    real = caches["default"]
    assert isinstance(real, ResilientRedisCache)
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (2, 3600))
    pipelines: list[int] = []
    incrs: list[str] = []
    client = real._cache.get_client(write=True)
    execute = type(client.pipeline()).execute

    def counting(pipe, *args, **kwargs):  # type: ignore[no-untyped-def]
        pipelines.append(len(pipe.command_stack))
        return execute(pipe, *args, **kwargs)

    monkeypatch.setattr(type(client.pipeline()), "execute", counting)
    monkeypatch.setattr(type(real), "incr", lambda *a, **k: incrs.append("incr"))
    now = 1_800_000_000 + 1800
    monkeypatch.setattr(ratelimit.time, "time", lambda: float(now))
    ident = f"192.0.2.{os.getpid() % 250}"
    key = f"aduan-rl:web_submit:{ident}:{now - now % 3600}"
    try:
        assert [ratelimit.rate_count("web_submit", ident) for _ in range(2)] == [None, None]
        assert 0 < ratelimit.rate_count("web_submit", ident) <= 3600
        assert pipelines == [2, 2, 2] and incrs == []
        assert real.get(key) == 3
    finally:
        real.delete(key)
        real.close()


def test_redis_counts_fail_open_and_back_off_while_redis_is_down(monkeypatch):
    """With Redis unreachable the one-round-trip count answers None (the request is let
    through) and the cache stops asking Redis for its back-off time, as its other operations
    do: one connection attempt, not one per request."""
    from aduan.core import cache as cache_module

    down = cache_module.ResilientRedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(ratelimit, "cache", down)
    monkeypatch.setattr(ratelimit, "limit_for", lambda scope: (1, 3600))
    attempts: list[int] = []
    make_key = down.make_and_validate_key

    def attempt(key, version=None):  # type: ignore[no-untyped-def]
        attempts.append(1)
        return make_key(key, version)

    monkeypatch.setattr(down, "make_and_validate_key", attempt)
    try:
        for _ in range(20):
            assert ratelimit.rate_count("web_submit", "203.0.113.9") is None
            ratelimit.check_rate("web_submit", "203.0.113.9")
        assert len(attempts) == 1
        assert not down.is_available
    finally:
        down.close()
