"""Who may read the audit trail: the team lead, the head of office and the administrator."""

from __future__ import annotations

from aduan.accounts.models import Role, User

AUDIT_ROLES = (Role.TEAM_LEAD, Role.HEAD, Role.ADMINISTRATOR)


def may_see_audit(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.office_id
                and user.has_role(*AUDIT_ROLES))
