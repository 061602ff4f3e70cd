"""Audits every denial a view raises: PermissionDenied (403) anywhere, and the 404 of an object
outside the user's scope (ScopeNotFound), before Django turns them into error pages."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from aduan.audit.denials import AccessDenied, ScopeNotFound
from aduan.audit.services import audit_denial


class DenialAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            status = 403
        elif isinstance(exception, ScopeNotFound):
            status = 404
        else:
            return
        audit_denial(
            request, status_code=status, action=getattr(exception, "action", ""),
            object_type=getattr(exception, "object_type", ""),
            object_id=getattr(exception, "object_id", ""),
            reason=exception.user_message if isinstance(exception, AccessDenied) else "")
        # None: Django goes on to answer with the 403/404 page.
