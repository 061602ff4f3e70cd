"""The replay refund (a6cda9b, core.ratelimit.rate_refund) attacked at a window's end (review of
session 10, issue 17): the refund recomputed the window from its own clock, so a replay counted
in the last instant of one window and refunded in the next took a count off the NEW window,
which holds other submissions: each such replay let one more fresh submission through past the
limit (many replays fired at the boundary, many more). The refund must take back the count in
the window it was made in, and never touch another window's counter."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from aduan.core import ratelimit
from aduan.core.filecache import FileCache
from aduan.portal import views

WINDOW = 3600


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Form:  # what _submit_limited reads of the form
    def __init__(self, phone: str) -> None:
        self.cleaned_data = {"phone": phone, "email": ""}


def _caches(tmp_path):  # type: ignore[no-untyped-def]
    from django.core.cache.backends.redis import RedisCache

    yield FileCache(str(tmp_path), {})
    yield LocMemCache(f"refund-window-{time.time_ns()}", {})
    yield RedisCache(os.environ.get("ADUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
                     {"KEY_PREFIX": f"test-refund-window-{os.getpid()}-{time.time_ns()}"})


@pytest.mark.parametrize("which", [0, 1, 2], ids=["file", "locmem", "redis"])
def test_a_replay_straddling_the_window_end_gives_the_new_window_nothing(
        tmp_path, monkeypatch, settings, which):
    settings.ADUAN_RATE_LIMITS = {"web_submit": (2, WINDOW), "submit_contact": (100, WINDOW)}
    if hasattr(settings, "ADUAN_PORTAL_SUBMIT_LIMIT"):
        del settings.ADUAN_PORTAL_SUBMIT_LIMIT
    backend = list(_caches(tmp_path))[which]
    monkeypatch.setattr(ratelimit, "cache", backend)
    clock = Clock(1_000 * WINDOW - 0.01)  # the last instant of a window
    monkeypatch.setattr(time, "time", clock)
    request = RequestFactory().post("/pengaduan/kirim/", REMOTE_ADDR="198.51.100.7")

    def submit(phone: str) -> tuple[bool, list]:
        limited, counted = views._submit_limited(request, Form(phone))
        return limited is None, counted

    allowed, replay_counted = submit("081200000000")  # a replay, counted in the old window
    assert allowed
    clock.now += 0.02  # the replay's look-up ran into the next window
    assert [submit(f"0812000000{i:02d}")[0] for i in range(1, 3)] == [True, True]  # the limit
    views._refund(replay_counted)  # the replay found to be one: its count taken back
    assert submit("081200000099")[0] is False  # a third fresh one in the window: over
    assert submit("081200000098")[0] is False
