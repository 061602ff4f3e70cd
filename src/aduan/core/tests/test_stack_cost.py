"""The lighter request stack (issue 17): the CSP header built once per process, the language
chosen from a bounded memo, and an anonymous public page that opens no session."""

from __future__ import annotations

import pytest
from csp.constants import SELF
from csp.decorators import csp_update
from csp.utils import build_policy
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from aduan.core import middleware as stack


@pytest.fixture(autouse=True)
def _language_reset():
    """Middleware called directly activates a language in this thread: undo it."""
    yield
    from django.utils import translation

    translation.deactivate()


def _csp_parts(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_policy_header_is_django_csps_policy(client, office):
    response = client.get("/")
    assert response.status_code == 200
    assert _csp_parts(response["Content-Security-Policy"]) == _csp_parts(build_policy())


def test_a_view_that_widens_the_policy_still_gets_its_own(rf):
    @csp_update({"img-src": ["https://tiles.example.org"]})
    def view(request):
        return HttpResponse("ok")

    mw = stack.PolicyHeaderMiddleware(view)
    response = mw(rf.get("/somewhere/"))
    assert "https://tiles.example.org" in response["Content-Security-Policy"]
    plain = stack.PolicyHeaderMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert "tiles.example.org" not in plain["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_changed_setting_changes_the_header(client, office):
    policy = {"DIRECTIVES": {"default-src": [SELF], "img-src": ["https://maps.example.org"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert "maps.example.org" in client.get("/")["Content-Security-Policy"]
    assert "maps.example.org" not in client.get("/")["Content-Security-Policy"]


def test_an_exempt_response_gets_no_header(rf):
    def view(request):
        response = HttpResponse("ok")
        response._csp_exempt = True
        return response

    assert "Content-Security-Policy" not in stack.PolicyHeaderMiddleware(view)(rf.get("/"))


@pytest.mark.parametrize(("cookie", "accept", "expected"), [
    ("", "", "id"),
    ("", "en-US,en;q=0.9", "en"),
    ("", "fr-FR,fr;q=0.9", "id"),
    ("id", "en-US,en;q=0.9", "id"),
    ("en", "", "en"),
    ("xx", "en", "en"),
])
def test_language_as_djangos_locale_middleware_chooses_it(cookie, accept, expected):
    seen = {}

    def view(request):
        from django.utils.translation import get_language

        seen["language"] = get_language()
        seen["code"] = request.LANGUAGE_CODE
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=accept)
    if cookie:
        request.COOKIES["django_language"] = cookie
    for _ in range(2):  # the second answer comes from the memo
        response = stack.LanguageMiddleware(view)(request)
        assert seen["language"] == expected
        assert seen["code"] == expected
        assert response["Content-Language"] == expected
        assert "Accept-Language" in response["Vary"]


def test_language_memo_is_bounded():
    stack._language_memo.clear()
    view = stack.LanguageMiddleware(lambda request: HttpResponse("ok"))
    for i in range(stack.LANGUAGE_MEMO_SIZE * 3):
        view(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=f"en;q=0.{i % 9 + 1}, x-{i}"))
        assert len(stack._language_memo) <= stack.LANGUAGE_MEMO_SIZE


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/pengaduan/kirim/", "/lacak/", "/tiny-not-there/"])
def test_anonymous_public_get_opens_no_session(client, office, path):
    client.get(path)  # warm: configuration memo, templates
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code in (200, 404)
    assert "sessionid" not in response.cookies
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    # Nothing is written for a visitor who only reads.
    assert not [q for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


# --- Messages storage on first use, no user lookup without a signed-in session ---------------

def _through_stack(rf, view):
    """`view` behind the session, authentication (with django-otp) and session-rules layers
    (messages, account security), as settings.MIDDLEWARE orders them."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from aduan.config.middleware import SessionRulesMiddleware

    return SessionMiddleware(SessionRulesMiddleware(view))


@pytest.mark.django_db
def test_a_request_that_never_uses_messages_builds_no_storage_and_evaluates_no_user(rf):
    from django.utils.functional import empty

    seen = {}

    def view(request):
        seen["request"] = request
        return HttpResponse("ok")

    response = _through_stack(rf, view)(rf.get("/tiny/"))
    request = seen["request"]
    assert response.status_code == 200
    assert request._messages._wrapped is empty  # never built
    assert request.user._wrapped is empty  # never looked up
    assert "messages" not in response.cookies


@pytest.mark.django_db
def test_a_message_added_in_one_request_is_read_in_the_next(client, office):
    """The lazy storage still carries a message across a redirect (cookie, then session)."""
    from django.contrib import messages
    from django.test import RequestFactory

    from aduan.core.middleware import LazyMessageMiddleware

    rf = RequestFactory()

    def add(request):
        messages.info(request, "tersimpan")
        return HttpResponse("ok")

    first = _through_stack(rf, add)(rf.get("/a/"))
    assert "messages" in first.cookies  # stored because it was added

    def read(request):
        return HttpResponse("|".join(m.message for m in messages.get_messages(request)))

    second_request = rf.get("/b/")
    second_request.COOKIES["messages"] = first.cookies["messages"].value
    second = _through_stack(rf, read)(second_request)
    assert second.content == b"tersimpan"
    assert LazyMessageMiddleware is stack.LazyMessageMiddleware


def test_the_lazy_storage_is_in_the_stack():
    from django.conf import settings

    from aduan.config.middleware import SessionRulesMiddleware

    assert "aduan.config.middleware.SessionRulesMiddleware" in settings.MIDDLEWARE
    assert issubclass(SessionRulesMiddleware, stack.LazyMessageMiddleware)
    assert "django.contrib.messages.middleware.MessageMiddleware" not in settings.MIDDLEWARE


@pytest.mark.parametrize("vary", [None, "Cookie", "cookie", " Cookie", "Cookie, Origin",
                                  "Accept-Language", "*", "Cookie,Accept-Encoding"])
def test_the_language_step_writes_vary_as_patch_vary_headers(vary):
    from django.utils.cache import patch_vary_headers

    ours, djangos = HttpResponse("x"), HttpResponse("x")
    if vary is not None:
        ours["Vary"] = djangos["Vary"] = vary
    stack.language_headers(ours)
    patch_vary_headers(djangos, ("Accept-Language",))
    assert ours["Vary"] == djangos["Vary"]
