"""Outages, on real servers: a PostgreSQL cluster and a Redis of the test's own, stopped under a
running gunicorn (production settings), then started again. While the database is down pages
answer a styled Indonesian 503 with Retry-After and webhooks a 503; while Redis is down the
public form still works; after each restart the same gunicorn serves again."""

from __future__ import annotations

import re

import httpx
import pytest

from aduan.ops.tests import servers
from aduan.portal.testing import form_token

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not servers.private_postgres_available(),
                       reason="needs PostgreSQL's server binaries (initdb, pg_ctl)"),
]

SECRET = servers.SECRET


def _submit(client: httpx.Client, url: str, subject: str) -> httpx.Response:
    page = client.get(f"{url}/pengaduan/kirim/")
    assert page.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return client.post(f"{url}/pengaduan/kirim/", data={
        "csrfmiddlewaretoken": csrf, "name": "Rahmi Ayunda", "phone": "0851-5679-1234",
        "email": "ayunda@example.org", "subject": subject,
        "description": "Saya ingin melihat SIP saya sudah terdaftar atau belum.",
        "consent": "on", "website": "", "form_token": form_token(age=10, secret_key=SECRET),
    }, headers={"Referer": f"{url}/pengaduan/kirim/"})


def test_pages_answer_503_while_the_database_is_down_and_recover(tmp_path):
    servers.collect_static()
    with servers.private_postgres() as pg, servers.private_redis(tmp_path) as redis:
        env = servers.production_env(DATABASE_URL=pg.url, REDIS_URL=redis.url,
                                     MEDIA_ROOT=str(tmp_path / "media"),
                                     ADUAN_READY_MIN_FREE_BYTES="1",
                                     SMS_WEBHOOK_SECRET="sms-secret")
        servers.manage(env, "migrate", "-v0")
        servers.manage(env, "load_demo")
        with servers.gunicorn(env, tmp_path / "gunicorn.log") as web, \
                httpx.Client(timeout=60, follow_redirects=False) as client:
            master = web.proc.pid
            assert client.get(f"{web.url}/").status_code == 200
            assert client.get(f"{web.url}/readyz").status_code == 200

            pg.stop()
            page = client.get(f"{web.url}/")
            assert page.status_code == 503
            assert int(page.headers["Retry-After"]) > 0
            assert "Layanan sedang tidak tersedia" in page.text
            assert "Server Error" not in page.text
            assert re.search(r'href="/static/css/aduan\.[0-9a-f]{12}\.css"', page.text)
            english = client.get(f"{web.url}/", headers={"Accept-Language": "en"})
            assert english.status_code == 503
            webhook = client.post(f"{web.url}/intake/sms/", json={"from": "+6281234567890",
                                                                  "text": "halo"},
                                  headers={"X-Webhook-Secret": "sms-secret"})
            assert webhook.status_code == 503
            assert webhook.headers["Retry-After"]
            api = client.get(f"{web.url}/api/open311/v2/services.json")
            assert api.status_code == 503
            assert client.get(f"{web.url}/healthz").status_code == 200
            ready = client.get(f"{web.url}/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"]["status"] == "fail"

            pg.start()
            servers.wait_until(lambda: client.get(f"{web.url}/").status_code == 200,
                               timeout=60, what="the site to recover", log=web.log)
            assert client.get(f"{web.url}/readyz").status_code == 200
            done = _submit(client, web.url, "Setelah basis data pulih")
            assert done.status_code in (302, 303), done.text[-2000:]

            redis.stop()
            assert client.get(f"{web.url}/").status_code == 200
            done = _submit(client, web.url, "Saat Redis mati")
            assert done.status_code in (302, 303), done.text[-2000:]
            ready = client.get(f"{web.url}/readyz")
            assert ready.status_code == 200
            assert ready.json()["checks"]["cache"]["status"] == "warn"

            redis.start()
            servers.wait_until(
                lambda: client.get(f"{web.url}/readyz").json()["checks"]["cache"]["status"]
                == "ok", timeout=60, what="the cache to come back", log=web.log)
            assert web.proc.poll() is None and web.proc.pid == master  # never restarted
