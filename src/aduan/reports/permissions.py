"""Who may see the dashboard and run reports (SPEC §1)."""

from __future__ import annotations

from aduan.accounts.models import Role, User

REPORT_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.HEAD, Role.ADMINISTRATOR)
DASHBOARD_ROLES = (Role.HEAD, Role.TEAM_LEAD)
TEXT_EDITOR_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def _staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.office_id)


def may_run_reports(user: User) -> bool:
    """The complaint team runs the monthly and semester reports; the head and the
    administrator receive them. Technical unit staff see only their unit's cases, so they get
    no office-wide report."""
    return _staff(user) and user.has_role(*REPORT_ROLES)


def may_see_dashboard(user: User) -> bool:
    """The dashboard is for the head of office and the team lead only."""
    return _staff(user) and user.has_role(*DASHBOARD_ROLES)


def may_edit_texts(user: User) -> bool:
    return _staff(user) and user.has_role(*TEXT_EDITOR_ROLES)


def may_export_register(user: User) -> bool:
    """Any staff member with a case role; the rows are scoped by `complaints_visible_to`.
    The regency oversight role alone sees no case, so it gets no register export either."""
    return _staff(user) and bool(user.roles - {Role.OVERSIGHT})
