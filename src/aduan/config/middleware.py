"""The request stack's own layers, each several former middlewares in one call (issue 17).

Django wraps every middleware in its own exception-to-response frame and calls each one in turn,
so every layer costs every request (the minimal view, the form, the lookup, the submission),
whether or not it has anything to do. Our small steps are therefore composed here into three
middlewares, in the order the separate ones had, and each step that could raise is converted to
a response exactly where Django's wrapper of the former middleware converted it
(`response_for_exception`), so the layers outside see what they saw before. The steps
themselves stay in their areas (ops/outage.py, core/proxy.py, core/refcache.py,
offices/middleware.py, core/middleware.py, api/middleware.py, accounts/, audit/); this module,
like settings and the URL conf, is wiring.

- `EdgeMiddleware`, outermost: the database outage's 503, the client's address behind our
  proxies, the configuration version pinned for the request, the office from the path or the
  host, the 413 size limit, the API's 405 shape (formerly six middlewares, in that order).
- `AuthenticationMiddleware`: Django's lazy `request.user` with django-otp's verification
  applied when it is evaluated (formerly Django's and django-otp's, two lazy objects).
- `SessionRulesMiddleware`, innermost: the messages storage made on first use,
  `request.htmx`, the session's active office, the staff session rules, django-axes' lockout
  answer and the denial audit (formerly six middlewares). Django's XFrameOptionsMiddleware
  stays its own layer just outside it: `check --deploy` looks for it by name (security.W002).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.middleware import auser, get_user
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import response_for_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django_htmx.middleware import HtmxDetails
from django_otp.middleware import OTPMiddleware

from aduan.accounts.memberships import SESSION_OFFICE, session_office_apply
from aduan.accounts.middleware import session_rules
from aduan.api.middleware import API_PREFIX, api_error_shape
from aduan.audit.middleware import audit_view_denial
from aduan.core import refcache
from aduan.core.middleware import LazyMessageMiddleware, request_too_large
from aduan.core.proxy import client_address, trusted_proxies
from aduan.offices.middleware import office_dispatch
from aduan.ops.outage import OUTAGE_FLAG, note_outage, outage_answer

GetResponse = Callable[[HttpRequest], HttpResponse]


class EdgeMiddleware:
    """Outage 503, client address, configuration pin, office, 413, API 405 shape."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        trusted_proxies()  # a malformed ADUAN_TRUSTED_PROXIES stops the start, not a request

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.META["REMOTE_ADDR"] = client_address(request.META)
            refcache.pin()
            try:
                response = office_dispatch(request, self._below_office)
            except Exception as exc:  # as Django's wrapper of the office middleware did
                response = response_for_exception(request, exc)
            finally:
                refcache.unpin()
        except (OperationalError, InterfaceError) as exc:  # raised past Django's handlers
            note_outage(request, exc)
            response = HttpResponse(status=500)
        if response.status_code < 500 or getattr(request, OUTAGE_FLAG, None) is None:
            return response
        return outage_answer(request, response)

    def _below_office(self, request: HttpRequest) -> HttpResponse:
        """Inside the office's script prefix: the size limit, the rest of the stack, the
        API's 405 shape (a failure here is answered inside the prefix, as before)."""
        try:
            response = request_too_large(request)
            if response is not None:
                return response
            response = self.get_response(request)
            if response.status_code == 405 and request.path_info.startswith(API_PREFIX):
                return api_error_shape(request, response)
            return response
        except Exception as exc:
            return response_for_exception(request, exc)


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's AuthenticationMiddleware and django-otp's OTPMiddleware as one lazy user: the
    first read of `request.user` looks the session's user up and sets `otp_device` and
    `is_verified()` on it, as django-otp does; nothing is read for a request that never asks.
    A subclass of Django's, so the admin's check for it holds."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        otp = OTPMiddleware(get_response)
        self._verify = otp._verify_user_sync
        self._averify = otp._verify_user_async_via_auser

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "AuthenticationMiddleware needs the session: put "
                "'django.contrib.sessions.middleware.SessionMiddleware' before it.")
        verify = self._verify
        request.user = SimpleLazyObject(  # type: ignore[assignment]  # as Django's own
            lambda: verify(request, get_user(request)))
        request.auser = partial(self._averify, request, partial(auser, request))
        return cast(HttpResponse, self.get_response(request))  # sync only: async_capable False


class SessionRulesMiddleware(LazyMessageMiddleware):
    """Messages, htmx, the active office, the staff session rules, axes' lockout and the denial
    audit, in the order their middlewares had (outer to inner).

    A subclass of Django's MessageMiddleware (through the lazy one), so the admin's check for
    it holds. django-axes checks for its own middleware by name (axes.W002, silenced in
    settings): its per-request work, swapping the answer for the lockout answer when the login
    was refused for a locked account, is done here."""

    sync_capable = True
    async_capable = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.process_request(request)
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        try:
            response = self._rules(request)
        except Exception as exc:  # as Django's wrappers of the inner middlewares did
            response = response_for_exception(request, exc)
        return self.process_response(request, response)

    def _rules(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None:
            if SESSION_OFFICE in session:
                session_office_apply(request)
            if SESSION_KEY in session:
                refused = session_rules(request)
                if refused is not None:
                    return refused
        response = cast(HttpResponse, self.get_response(request))  # sync only, as above
        if getattr(request, "axes_locked_out", None) and settings.AXES_ENABLED:
            response = get_lockout_response(request, response,
                                            getattr(request, "axes_credentials", None))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        audit_view_denial(request, exception)
