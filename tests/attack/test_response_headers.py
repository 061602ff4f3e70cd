"""The composed request stack (config/middleware.py, issue 17) attacked for what it must never
drop: every kind of answer (200, 301, 302, 403, 404, 429, 500) carries the security headers,
and every page gets its own CSRF mask (issue 17 review).

Measured over real HTTP against the code before the stack change (2bcd15e): the headers of each
answer were the same, the only difference being Vary: Cookie no longer on cookieless answers
that never read the session (/healthz). The 301 of the slash redirect, the 400 of a refused
host and the static files come from FrontMiddleware's steps, outside XFrameOptionsMiddleware:
they carry X-Frame-Options too since session 10 (low-severity finding of issue 17), so every
answer has the full set, not only the policy's frame-ancestors.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db

EVERYWHERE = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
              "Cross-Origin-Opener-Policy")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("an unexpected failure in a view")


urlpatterns = [path("review-boom/", boom), path("", include("aduan.config.urls"))]


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
