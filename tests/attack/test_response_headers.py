"""The composed request stack (config/middleware.py, issue 17) attacked for what it must never
drop: every kind of answer (200, 301, 302, 403, 404, 429, 500) carries the security headers,
and every page gets its own CSRF mask (issue 17 review).

Measured over real HTTP against the code before the stack change (2bcd15e): the headers of each
answer were the same, the only difference being Vary: Cookie no longer on cookieless answers
that never read the session (/healthz). The 301 of the slash redirect, the 400 of a refused
host and the static files come from FrontMiddleware's steps, outside XFrameOptionsMiddleware:
they carry X-Frame-Options too since session 10 (low-severity finding of issue 17), so every
answer has the full set, not only the policy's frame-ancestors. The answers EdgeMiddleware makes
above all of them (the 413, the database outage's 503, an unknown office's 404) had none of the
set until session 10 (checked over real HTTP): they get it there now.
"""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db

EVERYWHERE = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
              "Cross-Origin-Opener-Policy")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unexpected failure in a view")


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


urlpatterns = [path("review-boom/", boom), path("review-database-gone/", database_gone),
               path("api/v1/review-database-gone/", database_gone),
               path("", include("aduan.config.urls"))]


def _check(response, status: int | None = None) -> None:
    if status is not None:
        assert response.status_code == status, (response.status_code, status)
    for header in EVERYWHERE:
        assert header in response, (response.status_code, header)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response.get("X-Frame-Options") == "DENY", response.status_code


def test_every_kind_of_answer_carries_the_security_headers(office, settings):
    settings.ROOT_URLCONF = __name__
    settings.ADUAN_PORTAL_TRACK_LIMIT = (2, 60)
    client = Client(raise_request_exception=False)
    _check(client.get("/"), 200)
    _check(client.get("/lacak"), 301)  # the slash redirect, CommonMiddleware's request step
    _check(client.get("/desk/"), 302)  # to the login
    _check(client.get("/", HTTP_HOST="refused.example"), 400)  # a host not allowed
    _check(client.get("/tidak-ada/"), 404)
    _check(client.put("/lacak/"), 405)
    _check(Client(enforce_csrf_checks=True).post("/lacak/", {"code": "x"}), 403)  # no token
    # WhiteNoise, above the session (finders: the tests collect no static files).
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    _check(Client().get("/static/css/portal.css"), 200)
    page = client.get("/lacak/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    statuses = [client.post("/lacak/", {"csrfmiddlewaretoken": token,
                                        "code": f"AAAA-BBBB-CCCC-{i:04d}"}).status_code
                for i in range(3)]
    assert statuses[0] == 404 and statuses[-1] == 429  # the page's GET counts too
    _check(client.post("/lacak/", {"csrfmiddlewaretoken": token, "code": "AAAA-BBBB-CCCC-0009"}),
           429)
    _check(client.get("/review-boom/"), 500)


def test_each_memoised_page_gets_its_own_mask_of_its_own_visitors_secret(office):
    """The lookup and the blank form are memoised per process with the token written in per
    answer (portal/pagecache.py, core/csrftoken.py): no token repeats, each opens to the
    visitor's own cookie, and another visitor's token is refused."""
    seen: set[str] = set()
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    for visitor in visitors:
        for _ in range(2):
            for url in ("/lacak/", "/pengaduan/kirim/"):
                body = visitor.get(url).content.decode()
                tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
                assert len(tokens) == 1
                token = tokens.pop()
                assert token not in seen
                seen.add(token)
                assert _unmask_cipher_token(token) == visitor.cookies["csrftoken"].value
    stolen = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                       visitors[0].get("/lacak/").content.decode())[1]
    assert visitors[1].post("/lacak/", {"csrfmiddlewaretoken": stolen,
                                        "code": "AAAA-BBBB-CCCC-0001"}).status_code == 403
    assert visitors[1].post("/lacak/", {"csrfmiddlewaretoken": re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        visitors[1].get("/lacak/").content.decode())[1],
        "code": "AAAA-BBBB-CCCC-0001"}).status_code == 404


def _over_http(base: str, method: str, path: str, body: bytes = b"",
               headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """The status and headers (lower-case names) of one request on its own connection."""
    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        answer = conn.getresponse()
        answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_the_answers_made_at_the_edge_carry_the_security_headers(live_server, office, settings):
    """EdgeMiddleware answers above SecurityMiddleware and FrontMiddleware: the 503 of a
    database outage (replacing the 500 below), the 404 of an unknown office's path. Over real
    HTTP, with the full header set and the status asserted. (The 413 is checked over real HTTP
    with gunicorn in complaints/tests/test_uploads_over_http.py: the live server's wsgiref
    refuses its `Connection: close`; and below with the test client.)"""
    settings.ROOT_URLCONF = __name__
    base = live_server.url
    expected = {
        ("GET", "/review-database-gone/"): 503,
        ("GET", "/api/v1/review-database-gone/"): 503,
        ("GET", "/instansi/tidak-ada/"): 404,
        ("GET", "/lacak/"): 200,  # the ordinary answer, for comparison
    }
    for (method, path_), status in expected.items():
        got, headers = _over_http(base, method, path_)
        assert got == status, (path_, got)
        for header in EVERYWHERE:
            assert header.lower() in headers, (path_, status, header)
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path_
        assert headers.get("x-frame-options") == "DENY", (path_, status)
        assert headers["x-content-type-options"] == "nosniff", path_
    _, ordinary = _over_http(base, "GET", "/lacak/")
    _, outage = _over_http(base, "GET", "/review-database-gone/")
    for header in ("content-security-policy", "referrer-policy", "cross-origin-opener-policy"):
        assert outage[header] == ordinary[header], header


def test_the_413_carries_the_security_headers(office, settings):
    settings.ADUAN_MAX_REQUEST_BYTES = 4096
    client = Client()
    _check(client.post("/pengaduan/kirim/", {"description": "x" * 5000}), 413)
    _check(client.post("/api/v1/complaints", {"description": "x" * 5000}), 413)
