"""Puts the page's office on every template: the request's office on public pages
(offices/middleware.py), the office a staff member works in on staff pages (their active
office, accounts/memberships.py), else the default office; and whether the instance serves more
than one office."""

from django.http import HttpRequest

from aduan.offices.selectors import office_get_by_id, office_routes


def office(request: HttpRequest) -> dict:
    routes = office_routes()
    found = getattr(request, "office", None)
    if found is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.office_id:
            found = office_get_by_id(user.office_id)
    return {"office": found if found is not None else routes.default,
            "multi_office": len(routes.active) > 1}
