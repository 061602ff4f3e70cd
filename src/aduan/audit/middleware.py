"""Audits every denial a view raises: PermissionDenied (403) anywhere, and the 404 of an object
outside the user's scope (ScopeNotFound), before Django turns them into error pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from aduan.audit.denials import AccessDenied, ScopeNotFound
from aduan.audit.services import audit_denial


def audit_view_denial(request: HttpRequest, exception: Exception) -> None:
    """The `process_exception` of the innermost middleware (config/middleware.py), so it sees
    a view's PermissionDenied before any other middleware handles it; returns None, and Django
    goes on to answer with the 403/404 page."""
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
