"""Static files as production serves them: hashed names, gzip and brotli, a year's cache."""

from __future__ import annotations

import re

import httpx
import pytest

from aduan.notifications.tests.workers import database_env
from aduan.ops.tests import servers

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

YEAR = 365 * 24 * 60 * 60


def test_portal_assets_are_hashed_compressed_and_cached_for_a_year(office, tmp_path):
    servers.collect_static()
    env = servers.production_env(**database_env(), MEDIA_ROOT=str(tmp_path / "media"))
    with servers.gunicorn(env, tmp_path / "gunicorn.log") as web, httpx.Client() as client:
        page = client.get(f"{web.url}/")
        assert page.status_code == 200
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
        for asset in assets:
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), asset
            plain = client.get(f"{web.url}{asset}", headers={"Accept-Encoding": "identity"})
            assert plain.status_code == 200
            assert "Content-Encoding" not in plain.headers
            for encoding in ("br", "gzip"):
                packed = client.get(f"{web.url}{asset}", headers={"Accept-Encoding": encoding})
                assert packed.headers["Content-Encoding"] == encoding, asset
                assert int(packed.headers["Content-Length"]) < len(plain.content)
                assert packed.content == plain.content  # httpx decoded it
                cache = packed.headers["Cache-Control"]
                max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
                assert max_age >= YEAR and "immutable" in cache and "public" in cache
                assert "Accept-Encoding" in packed.headers["Vary"]
        htmx = next(a for a in assets if "htmx" in a)
        brotli = client.get(f"{web.url}{htmx}", headers={"Accept-Encoding": "br"})
        assert int(brotli.headers["Content-Length"]) < 20_000  # 51 KB uncompressed
        # An unhashed name is still served (old links), but not cached for long.
        old = client.get(f"{web.url}/static/vendor/htmx.min.js")
        assert old.status_code == 200
        assert "immutable" not in old.headers.get("Cache-Control", "")
