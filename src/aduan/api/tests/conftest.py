"""Fixtures of the API tests: tokens of the demo users, a PNG and a PDF made in memory."""

from __future__ import annotations

import io

import pytest

from aduan.api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; every test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for():
    def _make(user) -> dict[str, str]:
        _token, secret = api_token_create(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return _make


@pytest.fixture
def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 750, "Bukti pembayaran retribusi")
    c.save()
    return buf.getvalue()
