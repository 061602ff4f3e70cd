"""The request stack's own layers, each several former middlewares in one call (issue 17).

Django wraps every middleware in its own exception-to-response frame and calls each one in turn,
so every layer costs every request (the minimal view, the form, the lookup, the submission),
whether or not it has anything to do. The steps are therefore composed here into three
middlewares, in the order the separate ones had, and each step that could raise is converted to
a response exactly where Django's wrapper of the former middleware converted it
(`response_for_exception`), so the layers outside see what they saw before. The steps
themselves stay in their areas (ops/outage.py, core/proxy.py, core/refcache.py,
offices/middleware.py, core/middleware.py, api/middleware.py, accounts/, audit/) or are
Django's and django-csp's and WhiteNoise's own methods; this module, like settings and the URL
conf, is wiring. Three of Django's stay their own layers because `check --deploy` looks for
them by name: SecurityMiddleware (security.W001), CsrfViewMiddleware (W003) and
XFrameOptionsMiddleware (W002).

- `EdgeMiddleware`, outermost: the database outage's 503, the client's address behind our
  proxies, the configuration version pinned for the request, the office from the path or the
  host, the 413 size limit, the API's 405 shape (formerly six middlewares, in that order).
- `FrontMiddleware`, just inside SecurityMiddleware: the content security policy header,
  static files, the session, the language, Django's CommonMiddleware (host check, slash
  redirect, Content-Length) (formerly five); X-Frame-Options on the answers made above
  XFrameOptionsMiddleware (static files, slash redirect, refused host).
- `SessionRulesMiddleware`, innermost, just inside CsrfViewMiddleware and
  XFrameOptionsMiddleware: Django's lazy `request.user` with django-otp's verification applied
  when it is evaluated, the messages storage made on first use, `request.htmx`, the session's
  active office, the staff session rules, django-axes' lockout answer and the denial audit
  (formerly eight).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.middleware import auser, get_user
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import response_for_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.functional import SimpleLazyObject
from django_htmx.middleware import HtmxDetails
from django_otp.middleware import OTPMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

from aduan.accounts.memberships import SESSION_OFFICE, session_office_apply
from aduan.accounts.middleware import session_rules
from aduan.api.middleware import API_PREFIX, api_error_shape
from aduan.audit.middleware import audit_view_denial
from aduan.core import refcache
from aduan.core.middleware import (
    LazyMessageMiddleware,
    PolicyHeaderMiddleware,
    common_request,
    language_activate,
    language_headers,
    request_too_large,
)
from aduan.core.proxy import client_address, trusted_proxies
from aduan.offices.middleware import office_dispatch
from aduan.ops.outage import OUTAGE_FLAG, note_outage, outage_answer

GetResponse = Callable[[HttpRequest], HttpResponse]


class EdgeMiddleware:
    """Outage 503, client address, configuration pin, office, 413, API 405 shape."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        trusted_proxies()  # a malformed ADUAN_TRUSTED_PROXIES stops the start, not a request
        self._security = SecurityMiddleware(get_response)
        self._csp = PolicyHeaderMiddleware(get_response)
        self._frame = XFrameOptionsMiddleware(get_response)

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
            if "X-Content-Type-Options" in response:  # passed SecurityMiddleware: the set
                return response
            return self._headers(request, response)
        return self._headers(request, outage_answer(request, response))

    def _headers(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The security headers of every other answer on one made here, above the layers that
        set them (the 413, the outage's 503, the office's 404 and redirects): SecurityMiddleware's,
        the content security policy and X-Frame-Options, as FrontMiddleware sets them."""
        response = self._security.process_response(request, response)
        response = self._csp.process_response(request, response)
        return self._frame.process_response(request, response)

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


class FrontMiddleware(SessionMiddleware):
    """django-csp's header, WhiteNoise's static files, the session, the language and Django's
    CommonMiddleware, in the order their five middlewares had (outer to inner), each step's
    exceptions answered where Django's wrapper of its middleware answered them.

    A subclass of Django's SessionMiddleware, so the admin's check for it holds; nothing looks
    for the other four by name."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._below = get_response  # sync only: async_capable False
        self._csp = PolicyHeaderMiddleware(get_response)
        self._static = WhiteNoiseMiddleware(get_response)
        self._common = CommonMiddleware(get_response)
        self._frame = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        csp = self._csp
        csp.process_request(request)
        try:
            response = self._static_files(request)
        except Exception as exc:  # as Django's wrapper of WhiteNoise's middleware did
            response = response_for_exception(request, exc)
        # The answers made above XFrameOptionsMiddleware (the static files, the slash
        # redirect, the refused host's 400) carry its header too: its own response step.
        response = self._frame.process_response(request, response)
        return csp.process_response(request, response)

    def _static_files(self, request: HttpRequest) -> HttpResponse:
        static = self._static
        path = request.path_info
        found = static.find_file(path) if static.autorefresh else static.files.get(path)
        if found is not None:
            served: HttpResponse = static.serve(found, request)
            return served
        try:  # the session and below
            self.process_request(request)
            try:
                response = self._language(request)
            except Exception as exc:  # as Django's wrapper of the language middleware did
                response = response_for_exception(request, exc)
            saved: HttpResponse = self.process_response(request, response)
            return saved
        except Exception as exc:  # as Django's wrapper of SessionMiddleware did
            return response_for_exception(request, exc)

    def _language(self, request: HttpRequest) -> HttpResponse:
        language_activate(request)
        common = self._common
        try:
            response = common_request(request, common) or self._below(request)
            # The stub says HttpResponseBase; it returns the answer it got, or a redirect.
            response = common.process_response(request, response)  # type: ignore[assignment]
        except Exception as exc:  # as Django's wrapper of CommonMiddleware did
            response = response_for_exception(request, exc)
        language_headers(response)
        return response


class SessionRulesMiddleware(LazyMessageMiddleware, DjangoAuthentication):
    """The user, messages, htmx, the active office, the staff session rules, axes' lockout
    and the denial audit, in the order their middlewares had (outer to inner).

    The user is Django's lazy `request.user` with django-otp's verification applied when it is
    evaluated (formerly Django's AuthenticationMiddleware and django-otp's OTPMiddleware, two
    lazy objects; nothing is read for a request that never asks). It was set just outside
    XFrameOptionsMiddleware, which neither reads the user nor is read by it.

    A subclass of Django's MessageMiddleware (through the lazy one) and of its
    AuthenticationMiddleware, so the admin's checks for them hold. django-axes checks for its
    own middleware by name (axes.W002, silenced in settings): its per-request work, swapping
    the answer for the lockout answer when the login was refused for a locked account, is
    done here."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._below = get_response  # sync only: async_capable False
        otp = OTPMiddleware(get_response)
        self._verify = otp._verify_user_sync
        self._averify = otp._verify_user_async_via_auser

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "SessionRulesMiddleware needs the session: put "
                "'aduan.config.middleware.FrontMiddleware' before it.")
        verify = self._verify
        request.user = SimpleLazyObject(  # type: ignore[assignment]  # as Django's own
            lambda: verify(request, get_user(request)))
        request.auser = partial(self._averify, request, partial(auser, request))
        LazyMessageMiddleware.process_request(self, request)
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        try:
            response = self._rules(request)
        except Exception as exc:  # as Django's wrappers of the inner middlewares did
            response = response_for_exception(request, exc)
        return LazyMessageMiddleware.process_response(self, request, response)

    def _rules(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # A request without a session cookie has an empty session, unless a step above put
        # something in it: nothing to read, and reading it would mark it accessed (Vary:
        # Cookie on every cookieless answer, e.g. the public pages a cache may keep).
        if session.session_key is not None or "_session_cache" in session.__dict__:
            if SESSION_OFFICE in session:
                session_office_apply(request)
            if SESSION_KEY in session:
                refused = session_rules(request)
                if refused is not None:
                    return refused
        response = self._below(request)
        if getattr(request, "axes_locked_out", None) and settings.AXES_ENABLED:
            response = get_lockout_response(request, response,
                                            getattr(request, "axes_credentials", None))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        audit_view_denial(request, exception)
