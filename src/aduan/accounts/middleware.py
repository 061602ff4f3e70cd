"""Staff session rules on every request (issue 12): idle and absolute expiry, the second
factor before the desk or the admin, a forced password change, and freshness for
re-authentication. Runs after authentication and django-otp (config/middleware.py)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts import policy
from aduan.accounts.models import User, UserSession
from aduan.accounts.twofactor import has_second_factor

# Staff areas. Public pages (portal, tracking, API with its own tokens) are not guarded here.
GUARDED_PREFIXES = ("/desk/", "/admin/", "/akun/")
# Write the "last seen" time at most this often: not one session write per request.
SEEN_WRITE_SECONDS = 60


def _redirect(request: HttpRequest, to: str, *, keep_next: bool = True) -> HttpResponse:
    url = to
    if keep_next and request.method == "GET":
        url = f"{to}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", False):  # htmx would swap the page into a fragment
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def session_rules(request: HttpRequest) -> HttpResponse | None:
    """The answer the staff session rules give instead of the page (a redirect to the login,
    the second factor or the password change), else None. Only for a session with a signed-in
    user: every public page, the API and static files skip it, and request.user (the session's
    user, wrapped by django-otp) stays unevaluated, as Django's get_user would find no one
    (issue 17: the minimal request). Called by config/middleware.py `SessionRulesMiddleware`
    after the session's active office is applied."""
    user = request.user
    if user.is_authenticated:
        return _check(request, user)  # type: ignore[arg-type]
    return None


def _check(request: HttpRequest, user: User) -> HttpResponse | None:
    limits = policy.session_limits(user)
    session = request.session
    now = time.time()
    auth_at = session.get(policy.SESSION_AUTH_AT)
    seen_at = session.get(policy.SESSION_SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        # A session from before these rules: it starts counting now.
        session[policy.SESSION_AUTH_AT] = auth_at = now
        session[policy.SESSION_SEEN_AT] = seen_at = now
    if now - seen_at > limits.idle_seconds or now - auth_at > limits.max_seconds:
        idle = now - seen_at > limits.idle_seconds
        logout(request)
        messages.info(request, _("Sesi Anda berakhir karena tidak aktif selama %(m)d "
                                 "menit. Silakan masuk lagi.") % {
            "m": limits.idle_seconds // 60} if idle else
            _("Sesi Anda berakhir (batas %(h)d jam). Silakan masuk lagi.") % {
            "h": limits.max_seconds // 3600})
        return _redirect(request, reverse("accounts:login"))
    if now - seen_at >= SEEN_WRITE_SECONDS:
        session[policy.SESSION_SEEN_AT] = now
        if session.session_key:
            UserSession.objects.filter(session_key=session.session_key).update(
                last_seen_at=timezone.now())
    # Read by complaints.access: a confidential identity needs a recent confirmation.
    user.auth_is_fresh = policy.auth_is_fresh(request, user)
    if not request.path.startswith(GUARDED_PREFIXES):
        return None
    return _second_factor(request, user) or _password(request, user)

def _second_factor(request: HttpRequest, user: User) -> HttpResponse | None:
    if user.is_verified():  # type: ignore[attr-defined]
        return None
    path = request.path
    # The office switch too: a user sent to set up a second factor by another office's
    # policy (accounts.memberships) may always go back to an office they can work in.
    exempt = {reverse("accounts:login"), reverse("accounts:logout"),
              reverse("accounts:two-factor-verify"), reverse("accounts:office-switch")}
    if path in exempt:
        return None
    if has_second_factor(user):
        return _redirect(request, reverse("accounts:two-factor-verify"))
    if not policy.two_factor_required(user):
        return None
    if path == reverse("accounts:two-factor-setup"):
        return None
    return _redirect(request, reverse("accounts:two-factor-setup"))

def _password(request: HttpRequest, user: User) -> HttpResponse | None:
    if not user.must_change_password or policy.demo_mode():
        return None
    if request.path in {reverse("accounts:password-change"), reverse("accounts:logout")}:
        return None
    return _redirect(request, reverse("accounts:password-change"), keep_next=False)
