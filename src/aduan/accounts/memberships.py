"""Staff in several offices (issue 18, decision 0013): the active office of a session.

`User.office`, `User.unit` and the user's groups are the HOME membership. `Membership` rows add
other offices. The session keeps the office the person is working in right now; for every
request `session_office_apply` applies that membership's office, unit and roles to
`request.user`, so `complaints.access.visible_scope` (the one door) and every policy that reads
`user.office_id` or `user.roles` work in that office without knowing about memberships. A
membership that was revoked or deactivated, or an office that was closed, falls back to the home
office at the next request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q
from django.http import HttpRequest
from django.utils.functional import LazyObject

from aduan.accounts.models import Membership, SecurityEvent, SecurityEventKind, User
from aduan.core import refcache
from aduan.offices.models import Office

# Session key: the id of the office the staff member works in (absent: the home office).
SESSION_OFFICE = "aduan_office"


@dataclass(frozen=True)
class OfficeChoice:
    """One entry of the office switcher."""

    office_id: int
    name: str
    is_home: bool
    is_current: bool


def _real_user(user: User) -> User:
    """The User behind `request.user`: lazy objects (authentication's, wrapped again by
    django-otp's) until first touched."""
    while isinstance(user, LazyObject):
        _ = user.pk  # evaluate it
        user = user._wrapped
    return user


def membership_get_active(user: User, office_id: int) -> Membership | None:
    """The user's usable membership in `office_id`: active, in an active office, its unit (if
    any) active and of that office. None for the home office or anything else."""
    home_office_id = user.home_office_id
    if office_id == home_office_id:
        return None
    return (Membership.objects
            .select_related("office", "unit")
            .filter(user_id=user.pk, office_id=office_id, is_active=True,
                    office__is_active=True)
            .filter(Q(unit__isnull=True) | Q(unit__office_id=office_id, unit__is_active=True))
            .first())


def membership_apply(user: User, membership: Membership) -> None:
    """Make `user` (this object, for this request only) work in the membership's office with
    its unit and roles. `User.save` keeps writing the home office and unit."""
    user = _real_user(user)
    if user._home_membership is None:
        user._home_membership = (user.office_id, user.unit_id)
    user.office = membership.office
    user.unit = membership.unit
    user.__dict__["roles"] = frozenset(str(role) for role in membership.roles)


def _users_with_memberships() -> frozenset[int]:
    """Ids of the users with an active membership, memoised per process (core/refcache.py
    watches Membership): most users have none, and their pages ask nothing more."""
    return refcache.memo(("membership-users",), lambda: frozenset(
        Membership.objects.filter(is_active=True).values_list("user_id", flat=True)))


def office_choices(user: User) -> list[OfficeChoice]:
    """The offices the user may work in (home first), or [] for a single-office user."""
    if user.home_office_id is None or user.pk not in _users_with_memberships():
        return []
    home_id = user.home_office_id
    others = list(
        Membership.objects.filter(user_id=user.pk, is_active=True, office__is_active=True)
        .exclude(office_id=home_id)
        .filter(Q(unit__isnull=True) | Q(unit__office_id=F("office_id"),
                                          unit__is_active=True))
        .values_list("office_id", "office__name").order_by("office__name"))
    if not others:
        return []
    home_name = Office.objects.filter(pk=home_id).values_list("name", flat=True).first() or ""
    current = user.office_id
    return [OfficeChoice(home_id, home_name, True, current == home_id)] + [
        OfficeChoice(pk, name, False, current == pk) for pk, name in others]


def office_switch(*, request: HttpRequest, user: User, office_id: int,
                  ip: str | None) -> bool:
    """Work in `office_id` from now on in this session: the home office or one of the user's
    usable memberships. Returns False (and changes nothing) for any other office. Logged as a
    SecurityEvent. The target office's policy (second factor, session limits) applies from the
    next request on, through the account security middleware."""
    home_id = user.home_office_id
    from_id = user.office_id
    if office_id == home_id:
        request.session.pop(SESSION_OFFICE, None)
    else:
        membership = membership_get_active(user, office_id)
        if membership is None:
            return False
        request.session[SESSION_OFFICE] = office_id
        membership_apply(user, membership)
    if office_id == home_id and from_id != home_id:
        # Back to the home membership on this object too.
        _restore_home(user)
    if from_id != office_id:
        SecurityEvent.objects.create(
            user=_real_user(user), actor=_real_user(user), ip_address=ip,
            kind=SecurityEventKind.OFFICE_SWITCHED,
            data={"from": from_id, "to": office_id})
    return True


def _restore_home(user: User) -> None:
    user = _real_user(user)
    home = user._home_membership
    if home is None:
        return
    user.office_id, user.unit_id = home
    for field in ("office", "unit"):
        user._state.fields_cache.pop(field, None)
    user.__dict__.pop("roles", None)
    user._home_membership = None


def session_office_apply(request: HttpRequest) -> None:
    """Apply the session's active office membership to `request.user` (see module doc), for a
    request whose session names one (config/middleware.py `SessionRulesMiddleware`).

    Runs after authentication and before the account security rules, so the session limits
    and the second-factor rule are those of the office the person is working in."""
    user = request.user
    office_id = request.session.get(SESSION_OFFICE)
    if not isinstance(user, User) or not user.is_authenticated:
        return
    membership = (membership_get_active(user, office_id)
                  if isinstance(office_id, int) and not isinstance(office_id, bool)
                  else None)
    if membership is None:
        # Revoked, deactivated, the home office, or garbage: back to the home office.
        request.session.pop(SESSION_OFFICE, None)
        return
    membership_apply(user, membership)


def staff_with_roles(office_id: int, roles: Iterable[str], *,
                     unit_id: int | None = None) -> list[User]:
    """The active staff with an e-mail address who hold one of `roles` in `office_id`: by
    their home office and groups, or by an active membership there (its own roles and unit;
    issue 18). `unit_id`: only those working in that unit of the office. One list per person,
    in id order; role-based mail (reminders, escalations, forwards, watch digests) reads it."""
    wanted = {str(role) for role in roles}
    members = (Membership.objects
               .filter(office_id=office_id, is_active=True, office__is_active=True,
                       user__is_active=True)
               .filter(Q(unit__isnull=True) | Q(unit__office_id=office_id, unit__is_active=True))
               .values_list("user_id", "unit_id", "roles"))
    member_ids = [user_id for user_id, member_unit, held in members
                  if wanted.intersection(held if isinstance(held, list) else [])
                  and (unit_id is None or member_unit == unit_id)]
    home = Q(office_id=office_id, groups__name__in=wanted)
    if unit_id is not None:
        home &= Q(unit_id=unit_id)
    return list(User.objects.filter(home | Q(pk__in=member_ids), is_active=True)
                .exclude(email="").distinct().order_by("pk"))


def user_in_office(user: User, office_id: int) -> User | None:
    """`user` as they work in `office_id`, for a background job requested there: the home
    office as it is, another office with its membership applied (a fresh object), None if the
    user no longer works there (the job must then not run with the home office's scope)."""
    fresh = User.objects.get(pk=user.pk)
    if office_id == fresh.office_id:
        return fresh
    membership = membership_get_active(fresh, office_id)
    if membership is None:
        return None
    membership_apply(fresh, membership)
    return fresh
