"""Who sees the regency dashboard: the oversight role only (decision 0013). The role gives no
case at all (`complaints.access.visible_scope`), so what it sees is aggregates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from aduan.accounts.models import Role, User


def may_see_regency(user: User | AnonymousUser) -> bool:
    return (isinstance(user, User) and user.is_authenticated and user.is_active
            and user.has_role(Role.OVERSIGHT))
