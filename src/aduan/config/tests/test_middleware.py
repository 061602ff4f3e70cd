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
from django.urls import get_script_prefix
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
        "aduan.core.middleware.PolicyHeaderMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "aduan.core.middleware.LanguageMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "aduan.config.middleware.AuthenticationMiddleware",
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


# --- AuthenticationMiddleware and SessionRulesMiddleware ----------------------------------

def _inner_stack(view):
    return SessionMiddleware(stack.AuthenticationMiddleware(stack.SessionRulesMiddleware(view)))


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
        stack.AuthenticationMiddleware(ok)(rf.get("/"))


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
