"""Role groups and their model permissions, created after every migrate."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from aduan.accounts.models import Role

# Model permissions per role, for the admin and for API token scopes. Case actions are governed
# by complaints.workflow (state + role + unit), not by these.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "complaints.view_complaint", "complaints.add_complaint", "complaints.view_reporter",
        "complaints.add_reporter", "complaints.view_caseevent", "complaints.add_caseevent",
        "complaints.view_attachment", "complaints.add_attachment",
    ],
    Role.TEAM_LEAD: [
        "complaints.view_complaint", "complaints.add_complaint", "complaints.view_reporter",
        "complaints.add_reporter", "complaints.view_caseevent", "complaints.add_caseevent",
        "complaints.view_attachment", "complaints.add_attachment",
    ],
    Role.UNIT_STAFF: [
        "complaints.view_complaint", "complaints.view_caseevent", "complaints.add_caseevent",
        "complaints.view_attachment",
    ],
    Role.HEAD: [
        "complaints.view_complaint", "complaints.view_caseevent", "complaints.view_attachment",
    ],
    Role.ADMINISTRATOR: [
        f"{app}.{action}_{model}"
        for app, models in {
            "offices": ["office", "unit", "channel", "servicetype", "referralagency", "holiday",
                        "deadlinepolicy"],
            "accounts": ["user"],
            "auth": ["group"],
        }.items()
        for model in models
        for action in ("view", "add", "change", "delete")
    ],
}


def ensure_role_groups(**_kwargs: object) -> None:
    """Create the role groups and (re)assign their permissions; idempotent."""
    if not global_apps.is_installed("django.contrib.auth"):
        return
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label,
                                             codename=codename).first()
            if perm:
                wanted.append(perm)
        group.permissions.set(wanted)
