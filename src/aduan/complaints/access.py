"""Authorisation of staff access to a case: office, role and unit scoping in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from aduan.accounts.models import Role, User
from aduan.complaints.models import Complaint
from aduan.core.exceptions import NotFound

ALL_UNITS = 0


def visible_scope(user: User | AnonymousUser) -> tuple[int, int] | None:
    """(office id, unit id) of what this staff user may see; the unit is ALL_UNITS for the
    whole office, and None means nothing at all.

    Complaint team, head and administrator see the whole office; technical unit staff see ONLY
    the complaints dispositioned to their unit (SPEC §1). Anyone else sees nothing.
    """
    if not user.is_authenticated or not user.is_active or user.office_id is None:
        return None
    if user.sees_all_units:
        return user.office_id, ALL_UNITS
    if user.has_role(Role.UNIT_STAFF) and user.unit_id is not None:
        return user.office_id, user.unit_id
    return None


def complaints_visible_to(user: User | AnonymousUser) -> QuerySet[Complaint]:
    """Every complaint this staff user may see (`visible_scope`)."""
    scope = visible_scope(user)
    if scope is None:
        return Complaint.objects.none()
    office_id, unit_id = scope
    qs = Complaint.objects.filter(office_id=office_id)
    return qs if unit_id == ALL_UNITS else qs.filter(unit_id=unit_id)


def access_complaint(user: User, complaint_id: int, *, for_update: bool = False,
                     annotations: Mapping[str, Any] | None = None) -> Complaint:
    """The complaint if `user` may see it; NotFound otherwise (never reveal that it exists).
    `annotations` are read in the same query (the case page's "is there any ..." flags, so it
    skips the lookups of what a case does not have)."""
    qs = complaints_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    if annotations:
        qs = qs.annotate(**annotations)
    complaint = qs.filter(pk=complaint_id).select_related(
        "office", "channel", "unit", "service_type", "reporter", "referred_agency"
    ).first()
    if complaint is None:
        raise NotFound()
    complaint.__dict__[_ADMITTED] = (user.pk, visible_scope(user))
    return complaint


# Set on the instance access_complaint() fetched: who it was fetched for, in which scope.
_ADMITTED = "_access_admitted"


def was_admitted(user: User, complaint: Complaint) -> bool:
    """Whether this very instance came through access_complaint() for `user` in the scope the
    user has now: a second visibility check of it within the request can be skipped."""
    scope = visible_scope(user)
    return scope is not None and complaint.__dict__.get(_ADMITTED) == (user.pk, scope)


def may_see_identity(user: User, complaint: Complaint) -> bool:
    """Confidential reporters are visible to the complaint team only (SPEC §1, §6), and only
    to a member who confirmed their password or code recently (`User.auth_is_fresh`, set per
    request by accounts.middleware; issue 12)."""
    if complaint.reporter.is_anonymous:
        return False
    if complaint.reporter.is_confidential:
        return user.is_complaint_team and user.auth_is_fresh
    return True


def identity_needs_reauth(user: User, complaint: Complaint) -> bool:
    """The identity is hidden only because the user must confirm who they are first."""
    return (complaint.reporter.is_confidential and not complaint.reporter.is_anonymous
            and user.is_complaint_team and not user.auth_is_fresh)
