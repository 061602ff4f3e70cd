"""Logged-in sessions of staff users: recorded at login, listed, ended (revoked)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from aduan.accounts import policy
from aduan.accounts.models import SecurityEvent, SecurityEventKind, User, UserSession


def _store(session_key: str):  # type: ignore[no-untyped-def]
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


@receiver(user_logged_in, dispatch_uid="aduan.accounts.session_started")
def _session_started(sender: object, request: HttpRequest, user: User, **_kw: object) -> None:
    policy.mark_authenticated(request, login=True)
    session = request.session
    if not session.session_key:
        session.save()
    ip = request.META.get("REMOTE_ADDR") or None
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={
        "user": user, "ip_address": ip,
        "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:300],
        "last_seen_at": timezone.now(), "ended_at": None})
    SecurityEvent.objects.create(user=user, actor=user, kind=SecurityEventKind.LOGIN,
                                 ip_address=ip)


@receiver(user_logged_out, dispatch_uid="aduan.accounts.session_ended")
def _session_ended(sender: object, request: HttpRequest, user: User | None,
                   **_kw: object) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now())


def session_list_open(user: User) -> list[UserSession]:
    """The user's sessions that may still be in use (not ended, seen within the lifetime)."""
    since = timezone.now() - dt.timedelta(seconds=policy.session_limits(user).max_seconds)
    return list(UserSession.objects.filter(user=user, ended_at__isnull=True,
                                           last_seen_at__gte=since))


@transaction.atomic
def session_revoke(*, user: User, session_id: int, actor: User, ip: str | None = None
                   ) -> UserSession | None:
    """End one session of `user` (the user themself, or an administrator through the admin):
    the stored session is deleted, so that browser is logged out at its next request."""
    row = UserSession.objects.filter(pk=session_id, user=user,
                                     ended_at__isnull=True).first()
    if row is None:
        return None
    _store(row.session_key).delete()
    row.ended_at = timezone.now()
    row.save(update_fields=["ended_at", "updated_at"])
    SecurityEvent.objects.create(user=user, actor=actor, ip_address=ip,
                                 kind=SecurityEventKind.SESSION_REVOKED,
                                 data={"session": row.pk})
    return row


def session_revoke_others(*, user: User, keep: str | None, actor: User | None = None) -> int:
    """End every other session of `user` (after a password change or a device reset)."""
    rows = UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(
        session_key=keep or "")
    ended = 0
    for row in rows:
        if session_revoke(user=user, session_id=row.pk, actor=actor or user) is not None:
            ended += 1
    return ended
