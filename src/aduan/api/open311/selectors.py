"""Read side of Open311: complaints as GeoReport service requests, without personal data.

A request is named by the case's public id, never by its tracking code (the reporter's
credential). Secret cases are left out; texts go through the one public redaction; a case
whose reporter is confidential shows its status and dates only (complaints/publication.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.complaints.publication import is_identity_protected, public_redactor
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.offices.models import Office

MAX_RESULTS = 1000
DEFAULT_SPAN = dt.timedelta(days=90)


def open311_status(status: str) -> str:
    """Our states mapped to GeoReport's two: every settled state is closed."""
    return "closed" if status in SETTLED_STATUSES else "open"


def w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def requests_queryset(office: Office) -> QuerySet[Complaint]:
    # Secret (LAPOR! rahasia) cases are hidden from the public entirely (SPEC §8).
    # When a settled case was settled: its last transition into a settled state.
    settled_at = (CaseEvent.objects.filter(complaint=OuterRef("pk"),
                                           status_after__in=SETTLED_STATUSES)
                  .order_by("-created_at", "-id").values("created_at")[:1])
    return (Complaint.objects.filter(office=office, is_secret=False)
            .select_related("service_type", "unit", "referred_agency", "reporter", "office")
            .annotate(settled_at=Subquery(settled_at)))


def service_request(complaint: Complaint, submitted: dict[str, Any]) -> dict[str, Any]:
    """One complaint in the GeoReport fields. `submitted` is what an Open311 client sent
    (location and media), from the complaint's received event. An identity-protected case
    shows no text, place or unit."""
    settled_at = getattr(complaint, "settled_at", None)
    service_type = complaint.service_type
    protected = is_identity_protected(complaint)
    redact = public_redactor(complaint) if not protected else None
    if protected:
        agency = complaint.office.name
    else:
        agency = (complaint.referred_agency.name if complaint.referred_agency is not None
                  else complaint.unit.name if complaint.unit is not None
                  else complaint.office.name)
    return {
        "service_request_id": complaint.public_id,
        "status": open311_status(complaint.status),
        "status_notes": redact(complaint.response_text) or None if redact else None,
        "service_name": service_type.name if service_type is not None else None,
        "service_code": service_type.code if service_type is not None else None,
        "description": redact(complaint.description)[:4000] if redact else None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": w3c(complaint.received_at),
        # For closed requests, the moment the case was settled (GeoReport v2).
        "updated_datetime": w3c(settled_at if complaint.status in SETTLED_STATUSES
                                and settled_at else complaint.updated_at),
        "expected_datetime": w3c(_end_of_day(complaint.due_on)),
        "address": (redact(submitted.get("address_string") or complaint.location) or None
                    if redact else None),
        "address_id": submitted.get("address_id") or None if redact else None,
        "zipcode": None,
        "lat": submitted.get("lat") if redact else None,
        "long": submitted.get("long") if redact else None,
        "media_url": submitted.get("media_url") or None if redact else None,
    }


def submitted_data(complaints: list[Complaint]) -> dict[int, dict[str, Any]]:
    """The Open311 fields of each complaint's received event, in one query."""
    rows = CaseEvent.objects.filter(
        complaint__in=[c.pk for c in complaints], kind=EventKind.RECEIVED,
    ).values_list("complaint_id", "data")
    return {pk: (data or {}).get("open311", {}) for pk, data in rows}


def service_requests(complaints: list[Complaint]) -> list[dict[str, Any]]:
    submitted = submitted_data(complaints)
    return [service_request(c, submitted.get(c.pk, {})) for c in complaints]
