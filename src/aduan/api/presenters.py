"""Turn models into the API's output dictionaries (no queries beyond what is passed in)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.models import Attachment, CaseEvent, Complaint, EventKind
from aduan.complaints.publication import public_redactor
from aduan.complaints.selectors import ReporterView
from aduan.complaints.workflow import SETTLED_STATUSES, Status


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def case_summary(c: Complaint) -> dict[str, Any]:
    return {
        # The public id, not the tracking code: that is the reporter's credential, and staff
        # never need it (they act through the desk, not as the reporter).
        "id": c.pk, "register_number": c.register_number, "public_id": c.public_id,
        "subject": c.subject, "status": c.status, "status_label": _label(Status, c.status),
        "classification": c.classification, "channel": c.channel.code,
        "service_type": c.service_type.code if c.service_type_id else None,
        "unit": c.unit.code if c.unit_id else None,
        "received_at": c.received_at, "received_on": c.received_on, "due_on": c.due_on,
        "settled_on": c.settled_on,
        "is_overdue": c.status not in SETTLED_STATUSES and c.due_on < timezone.localdate(),
    }


def _actor(event: CaseEvent) -> str:
    if event.actor_id:
        return event.actor.username
    return event.actor_label


def _attachment(a: Attachment) -> dict[str, Any]:
    return {"id": a.pk, "name": a.original_name, "content_type": a.content_type,
            "size": a.size, "is_public": a.is_public}


def attachments_added(event: CaseEvent) -> dict[str, Any]:
    return {"event": {"id": event.pk, "kind": event.kind, "at": event.created_at},
            "attachments": [_attachment(a) for a in event.attachments.order_by("pk")]}


def case_detail(c: Complaint, *, reporter: ReporterView, timeline: list[CaseEvent],
                attachments: list[Attachment], actions: list[str]) -> dict[str, Any]:
    return {
        **case_summary(c),
        "description": c.description, "location": c.location, "company_name": c.company_name,
        "proposed_unit": c.proposed_unit.code if c.proposed_unit_id else None,
        "referred_agency": c.referred_agency.code if c.referred_agency_id else None,
        "response": c.response_text, "finding": c.finding, "findings_note": c.findings_note,
        "reporter": reporter.__dict__,
        "attachments": [_attachment(a) for a in attachments],
        "timeline": [
            {"kind": e.kind, "label": _label(EventKind, e.kind), "at": e.created_at,
             "actor": _actor(e), "is_public": e.is_public, "text": e.body,
             "status_before": e.status_before, "status_after": e.status_after}
            for e in timeline
        ],
        "actions": actions,
    }


def public_status(c: Complaint, timeline: list[CaseEvent]) -> dict[str, Any]:
    """No reporter data, no staff names, no internal events (SPEC §6); texts through the one
    public redaction (complaints/publication.py)."""
    redact = public_redactor(c)
    return {
        "tracking_code": c.tracking_code, "public_id": c.public_id,
        "register_number": c.register_number,
        "status": c.status, "status_label": _label(Status, c.status),
        "is_settled": c.status in SETTLED_STATUSES, "classification": c.classification,
        "channel": c.channel.name,
        "service_type": c.service_type.name if c.service_type_id else None,
        "received_on": c.received_on, "due_on": c.due_on, "settled_on": c.settled_on,
        "response": redact(c.response_text),
        "timeline": [
            # The reporter's own messages stay out: the tracking code may be shared.
            {"kind": e.kind, "label": _label(EventKind, e.kind), "at": e.created_at,
             "text": "" if e.kind == EventKind.MESSAGE_IN else redact(e.body)}
            for e in timeline
        ],
    }


def actions_for(user: User, c: Complaint) -> list[str]:
    from aduan.complaints.workflow import actions_available

    return [str(a) for a in actions_available(c.status, user.roles)]
