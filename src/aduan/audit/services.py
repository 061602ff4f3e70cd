"""Writing audit records: one function for every authorization denial, whatever the surface."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest

from aduan.audit.models import AuditKind, AuditRecord, Surface

logger = logging.getLogger("aduan.audit")

SURFACES = (
    ("/desk/hak-data/", Surface.RIGHTS),
    ("/desk/dokumen/", Surface.DOCUMENTS),
    ("/desk/laporan/", Surface.REPORTS),
    ("/desk/saluran/", Surface.CHANNELS),
    ("/desk/", Surface.DESK),
    ("/api/", Surface.API),
    ("/admin/", Surface.ADMIN),
)
# URL keyword arguments that name the object a request is about, and its type.
OBJECT_KWARGS = (("complaint_id", "complaint"), ("case_id", "complaint"),
                 ("message_id", "inbound_message"), ("attachment_id", "attachment"))


def surface_of(path: str) -> Surface:
    return next((surface for prefix, surface in SURFACES if path.startswith(prefix)),
                Surface.OTHER)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR only: X-Forwarded-For is the client's to forge unless our proxy rewrites
    it (the same rule as the rate limits)."""
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _object_from_url(request: HttpRequest) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    kwargs: dict[str, Any] = match.kwargs if match else {}
    for name, object_type in OBJECT_KWARGS:
        if name in kwargs:
            return object_type, str(kwargs[name])
    if "pk" in kwargs:
        return (match.url_name or "object") if match else "object", str(kwargs["pk"])
    return "", ""


def _action_from_url(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return request.path[:100]
    name = match.view_name or match.url_name or request.path
    extra = match.kwargs.get("action") or match.kwargs.get("chart")
    return f"{name} {extra}"[:100] if extra else str(name)[:100]


def audit_denial(request: HttpRequest, *, status_code: int, user: Any = None,
                 action: str = "", object_type: str = "", object_id: str = "",
                 reason: str = "") -> AuditRecord | None:
    """Record that `request` was refused (403, or 404 for an object outside the user's scope).

    `user` defaults to the session's user (the API passes the token's). The action and object
    default to the URL's name and its id arguments. A failure to write is logged, never raised:
    the refusal itself must still reach the user.
    """
    if user is None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if not object_type:
        object_type, object_id = _object_from_url(request)
    record = AuditRecord(
        kind=AuditKind.DENIAL, user=user, username=getattr(user, "username", "") or "",
        office_id=getattr(user, "office_id", None), surface=surface_of(request.path),
        action=(action or _action_from_url(request))[:100], object_type=object_type[:40],
        object_id=str(object_id)[:64], status_code=status_code, method=request.method or "",
        path=request.path[:300], ip_address=client_ip(request), reason=str(reason)[:300])
    logger.warning("access denied (%s): user=%s action=%s object=%s:%s ip=%s path=%s",
                   status_code, record.username or "-", record.action, record.object_type or "-",
                   record.object_id or "-", record.ip_address or "-", record.path)
    try:
        with transaction.atomic():
            record.save()
    except DatabaseError:
        logger.exception("audit record not written")
        return None
    return record


def audit_personal_data(*, user: Any, office_id: int | None, action: str, object_type: str,
                        object_id: str, reason: str = "") -> AuditRecord:
    """Record an act on personal data rights (a data-subject request registered, answered, a
    breach recorded, notices drafted). Written inside the caller's transaction: the act and its
    record exist together or not at all. `user` None: the reporter (through the portal)."""
    return AuditRecord.objects.create(
        kind=AuditKind.PERSONAL_DATA, user=user, username=getattr(user, "username", "") or "",
        office_id=office_id, surface=Surface.RIGHTS, action=action[:100],
        object_type=object_type[:40], object_id=str(object_id)[:64], reason=str(reason)[:300])
