"""Which desk areas the signed-in user may reach, for the navigation (no queries in templates)."""

from django.http import HttpRequest

from aduan.audit.permissions import may_see_audit
from aduan.reports import permissions as report_permissions


def desk_nav(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_reports": report_permissions.may_run_reports(user),
        "nav_dashboard": report_permissions.may_see_dashboard(user),
        "nav_channels": bool(user.office_id) and user.is_complaint_team,
        "nav_audit": may_see_audit(user),
    }
