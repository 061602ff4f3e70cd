"""Puts the request's office on every template (offices/middleware.py sets it), and whether the
instance serves more than one office (pages then name the office handling a case)."""

from django.http import HttpRequest

from aduan.offices.selectors import office_routes


def office(request: HttpRequest) -> dict:
    routes = office_routes()
    found = getattr(request, "office", None)
    return {"office": found if found is not None else routes.default,
            "multi_office": len(routes.active) > 1}
