"""The office's account security policy: who needs two factors, how long sessions live, and
whether a staff user authenticated recently enough for a sensitive step (issue 12)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from aduan.accounts.models import Role, User
from aduan.offices.models import Office, default_two_factor_roles
from aduan.offices.selectors import office_get_by_id

# Session keys (epoch seconds): the login, the latest request, and the latest time the user
# proved who they are (password at login, the second factor, or the confirmation page).
SESSION_AUTH_AT = "aduan_auth_at"
SESSION_SEEN_AT = "aduan_seen_at"
SESSION_REAUTH_AT = "aduan_reauth_at"


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    max_seconds: int
    reauth_seconds: int


def office_for(user: User) -> Office | None:
    """The office whose policy applies to `user`: the office they work in right now (the home
    office, or the membership the session applied for this request; accounts.memberships).
    None for a user of no office (the defaults apply)."""
    if user.office_id is None:
        return None
    return office_get_by_id(user.office_id)


def session_limits(user: User) -> SessionLimits:
    office = office_for(user)
    if office is None:
        return SessionLimits(30 * 60, 10 * 60 * 60, 15 * 60)
    return SessionLimits(office.session_idle_minutes * 60, office.session_max_hours * 60 * 60,
                         office.reauth_minutes * 60)


def user_roles(user: User) -> frozenset[str]:
    """The user's roles; a superuser or admin-site user counts as an administrator."""
    roles = set(user.roles)
    if user.is_superuser or user.is_staff:
        roles.add(Role.ADMINISTRATOR.value)
    return frozenset(roles)


def two_factor_required(user: User) -> bool:
    """Whether the office requires a second factor for one of the user's roles."""
    office = office_for(user)
    required = office.two_factor_roles if office is not None else default_two_factor_roles()
    return bool(user_roles(user).intersection(required or []))


def demo_mode() -> bool:
    """`make run`: the demo office's passwords need not be changed (ADUAN_DEMO_MODE)."""
    return bool(getattr(settings, "ADUAN_DEMO_MODE", False))


def mark_authenticated(request: HttpRequest, *, login: bool = False) -> None:
    """Record that the user just proved who they are (and, at login, when the session began)."""
    now = time.time()
    request.session[SESSION_REAUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    if login:
        request.session[SESSION_AUTH_AT] = now


def auth_is_fresh(request: HttpRequest, user: User) -> bool:
    """Whether the user gave the password or a code within the office's `reauth_minutes`."""
    at = request.session.get(SESSION_REAUTH_AT)
    if not isinstance(at, int | float):
        return False
    return time.time() - at <= session_limits(user).reauth_seconds
