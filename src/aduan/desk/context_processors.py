"""Which desk areas the signed-in user may reach, for the navigation (no queries in templates)."""

from django.http import HttpRequest

from aduan.accounts.memberships import office_choices
from aduan.assist.services import may_manage as may_manage_assist
from aduan.audit.permissions import may_see_audit
from aduan.complaints.access import visible_scope
from aduan.complaints.routing import may_route
from aduan.oversight.permissions import may_see_regency
from aduan.reports import permissions as report_permissions
from aduan.watch.services import may_view as watch_may_view


def _storage_alert() -> str | None:
    from django.utils.dateparse import parse_datetime
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from aduan.complaints.attachments import storage_alert

    raw = storage_alert()
    moment = parse_datetime(raw) if raw else None
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT") if moment else None


def desk_nav(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # The media disk was found full: every officer sees it (complaints/attachments.py).
        "storage_full_since": _storage_alert() if user.is_complaint_team else None,
        "nav_reports": report_permissions.may_run_reports(user),
        "nav_dashboard": report_permissions.may_see_dashboard(user),
        "nav_channels": bool(user.office_id) and user.is_complaint_team,
        # The central intake's routing desk (complaints/routing.py).
        "nav_routing": may_route(user),
        "nav_audit": may_see_audit(user),
        "nav_assist": may_manage_assist(user),
        "nav_watch": bool(user.office_id) and watch_may_view(user),
        "nav_regency": may_see_regency(user),
        # Whether the user sees any case (an oversight-only user does not: no inbox, no book).
        "nav_cases": visible_scope(user) is not None,
        # Staff in several offices switch here; a single-office user gets [] (no switcher).
        "office_choices": office_choices(user),
    }
