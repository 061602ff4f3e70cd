"""Test helpers for the public forms (used by tests only)."""

from __future__ import annotations

import time

from aduan.portal import throttle


def form_token(*, age: int = 60, secret_key: str | None = None) -> str:
    """The single-use token the submit page would have rendered `age` seconds ago (older than
    ADUAN_PORTAL_MIN_FILL_SECONDS, so the form counts as filled by a person). `secret_key`: the
    key of a server the test started with its own settings (ops/tests/servers.py); default
    this process's SECRET_KEY."""
    return throttle.form_token(rendered_at=int(time.time()) - age, key=secret_key)
