"""Writers of timeline events: one function per kind of step (`complaint_<event>_event`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.core.fastinsert import insert

REPORTER_LABEL = "pelapor"
SYSTEM_LABEL = "sistem"


def _write(complaint: Complaint, kind: str, *, actor: User | None, actor_label: str = "",
           is_public: bool, body: str = "", data: dict[str, Any] | None = None,
           status_before: str = "", at: Any = None, touch: bool = True) -> CaseEvent:
    """Append an event to the case's timeline and mark the case as changed: its `updated_at`
    moves with every event (the public tracking page's memo is keyed on it, see
    portal/pagecache.py). `touch=False` only for the first event of a case inserted just now."""
    if touch:
        now = timezone.now()
        Complaint.objects.filter(pk=complaint.pk).update(updated_at=now)
        complaint.updated_at = now
    return insert(CaseEvent(
        complaint=complaint,
        kind=kind,
        actor=actor,
        actor_label=actor_label if actor is None else "",
        is_public=is_public,
        body=body,
        data=data or {},
        status_before=status_before,
        status_after=complaint.status,
        created_at=at or timezone.now(),
    ))


def complaint_transition_event(complaint: Complaint, kind: EventKind, *, actor: User | None,
                               actor_label: str = "", status_before: str, is_public: bool,
                               body: str = "", data: dict[str, Any] | None = None,
                               at: Any = None, touch: bool = True) -> CaseEvent:
    """A step of the procedure that changed the status (or confirmed it)."""
    return _write(complaint, kind, actor=actor, actor_label=actor_label, is_public=is_public,
                  body=body, data=data, status_before=status_before, at=at, touch=touch)


def complaint_note_event(complaint: Complaint, *, actor: User, body: str) -> CaseEvent:
    return _write(complaint, EventKind.NOTE, actor=actor, is_public=False, body=body)


def complaint_message_in_event(complaint: Complaint, *, body: str, data: dict[str, Any],
                               at: Any = None) -> CaseEvent:
    return _write(complaint, EventKind.MESSAGE_IN, actor=None, actor_label=REPORTER_LABEL,
                  is_public=True, body=body, data=data, at=at)


def complaint_message_out_event(complaint: Complaint, *, actor: User | None, body: str,
                                data: dict[str, Any]) -> CaseEvent:
    return _write(complaint, EventKind.MESSAGE_OUT, actor=actor, actor_label=SYSTEM_LABEL,
                  is_public=True, body=body, data=data)


def complaint_corrected_event(complaint: Complaint, *, actor: User | None, field: str,
                              old: Any, new: Any, reason: str) -> CaseEvent:
    return _write(complaint, EventKind.CORRECTED, actor=actor, actor_label=SYSTEM_LABEL,
                  is_public=False, body=reason,
                  data={"field": field, "old": str(old), "new": str(new)})


def complaint_anonymised_event(complaint: Complaint, *, data: dict[str, Any],
                               at: Any = None) -> CaseEvent:
    """The reporter's personal data was removed at the end of the retention period (UU
    27/2022). Internal, by the system; `data` counts what was removed, never what it was."""
    return _write(complaint, EventKind.ANONYMISED, actor=None, actor_label=SYSTEM_LABEL,
                  is_public=False, data=data, at=at)


def complaint_rated_event(complaint: Complaint, *, score: int, comment: str) -> CaseEvent:
    return _write(complaint, EventKind.RATED, actor=None, actor_label=REPORTER_LABEL,
                  is_public=False, body=comment, data={"score": score})


def complaint_attachments_added_event(complaint: Complaint, *, actor: User, note: str,
                                      files: list[dict[str, Any]]) -> CaseEvent:
    """Staff added documents to an existing case; `files` names them (name, type, size)."""
    return _write(complaint, EventKind.ATTACHMENTS_ADDED, actor=actor, is_public=False,
                  body=note, data={"files": files})


def complaint_notification_event(complaint: Complaint, *, body: str,
                                 data: dict[str, Any]) -> CaseEvent:
    """A message to the reporter could not be delivered: it went another way, or an officer
    must reach the reporter. Internal, by the system."""
    return _write(complaint, EventKind.NOTIFICATION, actor=None, actor_label=SYSTEM_LABEL,
                  is_public=False, body=body, data=data)
