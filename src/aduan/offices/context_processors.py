"""Puts the current office on every template (single-office deployments are the norm)."""

from django.http import HttpRequest

from aduan.offices.selectors import office_get_current


def office(request: HttpRequest) -> dict:
    return {"office": office_get_current()}
