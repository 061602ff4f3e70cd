"""The composed request stack (config/middleware.py, issue 17): the order of its layers, each
step's answer (503, 413, the API's 405, the lockout, the denial audit), exceptions answered
where the separate middlewares answered them, and the headers every answer carries."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.test import RequestFactory
from django.urls import get_script_prefix, path
from django.utils.functional import empty

from aduan.config import middleware as stack
from aduan.core import refcache
from aduan.ops.outage import OUTAGE_FLAG


@pytest.fixture(autouse=True)
def _language_reset():
    """Middleware called directly activates a language in this thread: undo it."""
    yield
    from django.utils import translation

    translation.deactivate()


def ok(request):
    return HttpResponse("ok")


def test_the_stack_order():
    assert settings.MIDDLEWARE == [
        "aduan.config.middleware.EdgeMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "aduan.config.middleware.FrontMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "aduan.config.middleware.SessionRulesMiddleware",
    ]


def test_the_checks_that_look_for_djangos_middlewares_still_find_them():
    from django.contrib.admin.checks import _contains_subclass

    for name in ("django.contrib.auth.middleware.AuthenticationMiddleware",
                 "django.contrib.messages.middleware.MessageMiddleware",
                 "django.contrib.sessions.middleware.SessionMiddleware"):
        assert _contains_subclass(name, settings.MIDDLEWARE), name


def test_the_denial_audit_is_the_first_exception_hook():
    handler = BaseHandler()
    handler.load_middleware()
    hooks = handler._exception_middleware
    assert len(hooks) == 1
    assert isinstance(hooks[0].__self__, stack.SessionRulesMiddleware)


# --- EdgeMiddleware ----------------------------------------------------------------------

def test_the_client_address_is_set_and_the_configuration_unpinned_after(rf, settings):
    settings.ADUAN_TRUSTED_PROXIES = ["10.0.0.10"]
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        seen["pinned"] = refcache._state.pinning
        return HttpResponse("ok")

    request = rf.get("/desk/", REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert stack.EdgeMiddleware(view)(request).status_code == 200
    assert seen == {"address": "203.0.113.7", "pinned": True}
    assert refcache._state.pinning is False


@pytest.mark.django_db
def test_a_database_error_below_answers_503_with_retry_after(rf):
    def broken(request):
        raise OperationalError("connection refused")

    # As Django calls it: the layer below converted the error to a 500 and flagged it.
    below = convert_exception_to_response(broken)
    response = stack.EdgeMiddleware(below)(rf.get("/pengaduan/kirim/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    # Raised past Django's handlers: the same answer.
    request = rf.get("/healthz")
    response = stack.EdgeMiddleware(broken)(request)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert getattr(request, OUTAGE_FLAG) is not None


@pytest.mark.django_db
def test_a_database_error_in_the_office_step_is_503_too(rf, monkeypatch):
    from aduan.offices import middleware as offices

    def routes():
        raise OperationalError("connection refused")

    monkeypatch.setattr(offices, "office_routes", routes)
    response = stack.EdgeMiddleware(ok)(rf.get("/api/v1/complaints"))
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["code"] == "service_unavailable"


def test_a_plain_500_is_left_alone(rf):
    response = stack.EdgeMiddleware(lambda request: HttpResponse(status=500))(rf.get("/x/"))
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "json_body"), [("/pengaduan/kirim/", False),
                                                 ("/api/v1/complaints", True)])
def test_a_request_past_the_size_limit_is_413_and_the_view_is_not_called(
        rf, settings, office, path, json_body):
    settings.ADUAN_MAX_REQUEST_BYTES = 100

    def view(request):
        raise AssertionError("the body must not be read")

    request = rf.post(path, data=b"x" * 101, content_type="application/octet-stream")
    response = stack.EdgeMiddleware(view)(request)
    assert response.status_code == 413
    assert response["Connection"] == "close"
    if json_body:
        assert json.loads(response.content)["error"]["code"] == "request_too_large"
    else:
        assert response["Content-Type"].startswith("text/html")


def test_a_405_under_the_api_takes_the_apis_shape(rf):
    edge = stack.EdgeMiddleware(lambda request: HttpResponseNotAllowed(["GET"]))
    response = edge(rf.post("/api/v1/cases/1/notes"))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"
    plain = edge(rf.post("/desk/x/"))
    assert plain.status_code == 405
    assert not plain["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_error_under_an_office_path_is_answered_inside_its_prefix(rf, office):
    """A step below the office raising is answered as the former middleware's wrapper did,
    and the office's script prefix does not outlive the request."""
    seen = {}

    def view(request):
        seen["prefix"] = get_script_prefix()
        raise RuntimeError("boom")

    before = get_script_prefix()
    response = stack.EdgeMiddleware(view)(rf.get(f"/instansi/{office.code}/pengaduan/"))
    assert response.status_code == 500
    assert seen["prefix"] == f"/instansi/{office.code}/"
    assert get_script_prefix() == before


@pytest.mark.django_db
def test_an_unknown_office_is_404_not_an_exception(rf, office):
    assert stack.EdgeMiddleware(ok)(rf.get("/instansi/tidak-ada/")).status_code == 404


# --- SessionRulesMiddleware (with the user) ------------------------------------------------

def _inner_stack(view):
    return SessionMiddleware(stack.SessionRulesMiddleware(view))


@pytest.mark.django_db
def test_the_user_is_djangos_with_django_otps_fields(rf):
    seen = {}

    def view(request):
        seen["request"] = request
        return HttpResponse("ok")

    response = _inner_stack(view)(rf.get("/"))
    request = seen["request"]
    assert request.user._wrapped is empty  # nothing read until asked
    assert request.user.is_authenticated is False
    assert request.user.is_verified() is False
    assert request.user.otp_device is None
    assert request.htmx is not None
    assert not request.htmx
    assert response.status_code == 200


def test_authentication_needs_the_session(rf):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        stack.SessionRulesMiddleware(ok)(rf.get("/"))


@pytest.mark.django_db
def test_an_error_in_the_rules_is_answered_and_the_messages_still_stored(rf, monkeypatch):
    from django.contrib.auth import SESSION_KEY

    request = rf.get("/desk/")
    SessionMiddleware(ok).process_request(request)
    request.session[SESSION_KEY] = "1"
    request.user = None

    def add_message_then_fail(request):
        from django.contrib import messages

        messages.info(request, "tersimpan")
        raise RuntimeError("rules failed")

    monkeypatch.setattr(stack, "session_rules", add_message_then_fail)
    response = stack.SessionRulesMiddleware(ok)(request)
    assert response.status_code == 500  # answered, not raised
    assert "messages" in response.cookies  # the messages layer still ran on the answer


@pytest.mark.django_db
def test_a_locked_out_login_gets_axes_lockout_answer(rf, settings):
    settings.AXES_LOCKOUT_CALLABLE = lambda request, response, credentials: HttpResponse(
        f"locked {credentials['username']}", status=429)

    def login(request):
        request.axes_locked_out = True
        request.axes_credentials = {"username": "petugas"}
        return HttpResponse("form", status=200)

    response = _inner_stack(login)(rf.post("/akun/masuk/"))
    assert response.status_code == 429
    assert response.content == b"locked petugas"
    settings.AXES_ENABLED = False
    assert _inner_stack(login)(rf.post("/akun/masuk/")).status_code == 200


@pytest.mark.django_db
def test_a_views_permission_denied_is_audited_once(users):
    from aduan.audit.models import AuditRecord

    request = RequestFactory().get("/desk/x/")
    request.user = users["petugas"]
    rules = stack.SessionRulesMiddleware(ok)
    assert rules.process_exception(request, PermissionDenied("no")) is None
    assert rules.process_exception(request, ValueError("not a denial")) is None
    record = AuditRecord.objects.get()
    assert (record.status_code, record.username, record.path) == (403, "petugas", "/desk/x/")


@pytest.mark.django_db
def test_every_public_answer_carries_the_stacks_headers(client, office):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    assert "sessionid" not in response.cookies


# --- FrontMiddleware: CSP, static files, session, language, common ---------------------------

def _front(view, **kwargs):
    return stack.FrontMiddleware(view, **kwargs)


def test_front_answers_the_view_with_every_steps_headers(rf):
    def view(request):
        assert request.LANGUAGE_CODE == "en"
        assert request.session is not None
        assert request.csp_nonce is not None
        return HttpResponse("ok")

    response = _front(view)(rf.get("/x/", HTTP_ACCEPT_LANGUAGE="en"))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response  # the policy step
    assert response["Content-Language"] == "en"  # the language step
    assert response["Vary"] == "Accept-Language"
    assert response["Content-Length"] == "2"  # CommonMiddleware


@pytest.mark.django_db
def test_front_saves_the_session_a_view_wrote(rf):
    def view(request):
        request.session["x"] = 1
        return HttpResponse("ok")

    response = _front(view)(rf.get("/x/"))
    assert "sessionid" in response.cookies
    assert "Cookie" in response["Vary"]


def test_front_serves_a_static_file_with_the_policy_and_without_a_session(rf, tmp_path):
    (tmp_path / "a.txt").write_text("static")

    def view(request):
        raise AssertionError("a static file never reaches the view")

    front = _front(view)
    front._static.add_files(str(tmp_path), prefix="/static/")
    request = rf.get("/static/a.txt")
    response = front(request)
    assert response.status_code == 200
    assert b"".join(response) == b"static"
    assert "Content-Security-Policy" in response
    assert not hasattr(request, "session")
    assert "Content-Language" not in response


def test_a_host_refused_by_the_common_step_is_400_with_the_language_and_policy(rf, settings):
    settings.ALLOWED_HOSTS = ["example.org"]

    def view(request):
        raise AssertionError("not reached")

    response = _front(view)(rf.get("/x/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en"))
    assert response.status_code == 400  # DisallowedHost, answered where CommonMiddleware's was
    assert response["Content-Language"] == "en"  # the language step saw the answer
    assert "Content-Security-Policy" in response


def test_an_error_in_the_language_step_is_answered_inside_the_session_step(rf, monkeypatch):
    def broken(request):
        raise RuntimeError("language failed")

    monkeypatch.setattr(stack, "language_activate", broken)
    response = _front(ok)(rf.get("/x/"))
    assert response.status_code == 500
    assert "Content-Security-Policy" in response


def test_a_missing_slash_is_still_redirected(client):
    response = client.get("/lacak")  # CommonMiddleware's APPEND_SLASH, inside the front layer
    assert response.status_code == 301
    assert response["Location"] == "/lacak/"


# --- No session read for a request without a session cookie --------------------------------

urlpatterns = [path("tiny/", ok)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_cookieless_answer_does_not_vary_on_cookie_a_signed_in_one_does(client, users):
    """Without a session cookie the session is empty: the rules read nothing, so nothing marks
    it accessed (SessionMiddleware's Vary: Cookie); with one, the rules read it as before."""
    response = client.get("/tiny/")
    assert response.status_code == 200
    assert response["Vary"] == "Accept-Language"
    client.force_login(users["petugas"])
    response = client.get("/tiny/")
    assert response.status_code == 200
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_the_rules_still_apply_to_a_session_that_a_step_above_filled(rf, monkeypatch):
    """A session not from a cookie but written before the rules is still read."""
    from django.contrib.auth import SESSION_KEY

    seen = []
    monkeypatch.setattr(stack, "session_rules", lambda request: seen.append(1))
    request = rf.get("/desk/")
    SessionMiddleware(ok).process_request(request)
    request.session[SESSION_KEY] = "1"
    assert request.session.session_key is None
    stack.SessionRulesMiddleware(ok)(request)
    assert seen == [1]


# --- The host check memoised per Host header -------------------------------------------------

def test_an_allowed_host_is_remembered_a_refused_one_never(rf, settings):
    from aduan.core import middleware as core

    settings.ALLOWED_HOSTS = ["example.org"]
    front = _front(ok)
    for _ in range(2):
        assert front(rf.get("/x/", HTTP_HOST="example.org")).status_code == 200
        assert front(rf.get("/x/", HTTP_HOST="evil.example")).status_code == 400
    assert core._hosts_allowed == {"example.org"}
    settings.ALLOWED_HOSTS = ["other.example"]  # setting_changed forgets
    assert front(rf.get("/x/", HTTP_HOST="example.org")).status_code == 400


def test_the_memo_stays_out_of_the_way_of_the_common_steps_other_work(rf, settings):
    import re

    from aduan.core import middleware as core

    settings.ALLOWED_HOSTS = ["example.org", "www.example.org"]
    front = _front(ok)
    assert front(rf.get("/x/", HTTP_HOST="example.org")).status_code == 200
    settings.PREPEND_WWW = True
    response = front(rf.get("/x/", HTTP_HOST="example.org"))
    assert (response.status_code, response["Location"]) == (301, "http://www.example.org/x/")
    assert not core._hosts_allowed  # not remembered while a redirect is configured
    settings.PREPEND_WWW = False
    settings.DISALLOWED_USER_AGENTS = [re.compile("badbot")]
    for agent, status in (("wrk", 200), ("badbot/1", 403), ("wrk", 200), ("badbot/1", 403)):
        response = front(rf.get("/x/", HTTP_HOST="example.org", HTTP_USER_AGENT=agent))
        assert response.status_code == status, agent
    assert not core._hosts_allowed  # not remembered while user agents are refused


def test_the_host_memo_is_bounded(rf, settings):
    from aduan.core import middleware as core

    settings.ALLOWED_HOSTS = [".example.org"]
    front = _front(ok)
    for i in range(core.HOST_MEMO_SIZE * 2):
        assert front(rf.get("/x/", HTTP_HOST=f"h{i}.example.org")).status_code == 200
        assert len(core._hosts_allowed) <= core.HOST_MEMO_SIZE
