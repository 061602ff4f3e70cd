"""Helpers shared by the desk views: who may use the desk, and 404 for unseen cases."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from aduan.accounts.models import User
from aduan.audit.denials import ScopeNotFound
from aduan.complaints.access import access_complaint
from aduan.complaints.models import Complaint
from aduan.core.exceptions import NotFound


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, attached to an office and holding a role; anyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if user.office_id is None or not user.roles:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def complaint_or_404(user: User, complaint_id: int,
                     annotations: Mapping[str, Any] | None = None) -> Complaint:
    """The case if the user may see it; 404 otherwise, so its existence is never revealed (the
    404 is audited: who asked for which case). `annotations` are read with it."""
    try:
        return access_complaint(user, complaint_id, annotations=annotations)
    except NotFound:
        raise ScopeNotFound(object_type="complaint", object_id=complaint_id) from None
