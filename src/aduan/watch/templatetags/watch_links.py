"""`{% permit_links complaint %}`: the permit applications a complaint is linked to, on the
desk's case page (one include; the desk app does not know about the watch)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("watch/_complaint_links.html", takes_context=True)
def permit_links(context: dict[str, Any], complaint: Any) -> dict[str, Any]:
    from aduan.watch.selectors import HAS_PERMIT_LINKS, links_for_complaint
    from aduan.watch.services import may_view

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_view(user):
        return {"links": []}
    if getattr(complaint, "__dict__", {}).get(HAS_PERMIT_LINKS) is False:
        return {"links": []}
    return {"links": links_for_complaint(complaint.pk)}
