"""What officers did with the suggestions, read from the procedure's events: the unit they
dispositioned to, the agency they referred to, the answer they sent (as suggested, another
suggested one, or their own text). One row per decision (`SuggestionFeedback`)."""

from __future__ import annotations

from aduan.assist.models import FeedbackField, Suggestion
from aduan.assist.services import feedback_record
from aduan.complaints.models import CaseEvent, Complaint, EventKind
from aduan.offices.models import Office

# The intent an officer's step shows the case had.
_INTENT_OF = {EventKind.ANSWERED: "permintaan_informasi", EventKind.REFERRED: "bukan_kewenangan"}


def _top(data: dict, field: str) -> tuple[str, float | None]:
    rows = data.get(field) or []
    if not rows:
        return "", None
    return str(rows[0].get("code", "")), rows[0].get("confidence")


def feedback_from_event(event: CaseEvent) -> None:
    if event.actor_id is None or (event.data or {}).get("duplicate_of"):
        return
    suggestion = Suggestion.objects.filter(complaint_id=event.complaint_id).first()
    if suggestion is None or not suggestion.data:
        return
    data = suggestion.data
    complaint = Complaint.objects.only("pk", "office_id", "referred_agency_id").get(
        pk=event.complaint_id)
    version = suggestion.model_version

    def record(field: str, key: str, chosen: str) -> None:
        suggested, confidence = _top(data, key)
        feedback_record(complaint=complaint, actor=event.actor, field=field,
                        suggested=suggested, chosen=chosen, confidence=confidence,
                        model_version=version)

    if event.kind in (EventKind.ROUTED, EventKind.FORWARDED):
        # Where the case went is the authority the deciding office's model should have
        # ranked first (the central intake learns its routing; docs/routing.md).
        _record_authority(event, data, version)
        return
    if event.kind in _INTENT_OF:
        record(FeedbackField.INTENT, "intent", _INTENT_OF[event.kind])
    if event.kind == EventKind.DISPOSITIONED:
        record(FeedbackField.UNIT, "unit", str(event.data.get("unit", "")))
    elif event.kind == EventKind.REFERRED:
        record(FeedbackField.AGENCY, "agency", str(complaint.referred_agency_id or ""))
    if event.kind in (EventKind.ANSWERED, EventKind.RESPONDED):
        answers = data.get("answers") or []
        if not answers:
            return
        sent = " ".join((event.body or "").split())
        chosen = next((f"{a.get('kind')}:{a.get('ref')}" for a in answers
                       if " ".join(str(a.get("text", "")).split()) == sent), "")
        first = answers[0]
        feedback_record(complaint=complaint, actor=event.actor, field=FeedbackField.ANSWER,
                        suggested=f"{first.get('kind')}:{first.get('ref')}",
                        chosen=chosen or "own_text", confidence=first.get("confidence"),
                        model_version=version)


def _record_authority(event: CaseEvent, data: dict, version: str) -> None:
    moved = event.data or {}
    offices = dict(Office.objects.filter(code__in=[moved.get("from_office"),
                                                   moved.get("to_office")])
                   .values_list("code", "pk"))
    authority = Office.objects.filter(code=moved.get("to_office")).values_list(
        "authority", flat=True).first()
    from_office = offices.get(moved.get("from_office"))
    if not authority or from_office is None:
        return  # an office without a taxonomy label teaches nothing
    suggested, confidence = _top(data, "authority")
    complaint = Complaint.objects.only("pk", "office_id").get(pk=event.complaint_id)
    feedback_record(complaint=complaint, actor=event.actor, field=FeedbackField.AUTHORITY,
                    suggested=suggested, chosen=authority, confidence=confidence,
                    model_version=version, office_id=from_office)
