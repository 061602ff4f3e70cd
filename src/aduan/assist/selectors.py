"""Reads of the assist app: canned answers for the reply forms, the stored suggestions, the
related-case hints as a viewer may see them, the office switch and the training feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from aduan.accounts.models import User
from aduan.assist.models import (
    DEFAULT_THRESHOLD,
    AssistMode,
    ChannelAssist,
    HintKind,
    HintStatus,
    InstantAnswer,
    RelatedHint,
    SavedReply,
    Suggestion,
    SuggestionFeedback,
)
from aduan.complaints.access import complaints_visible_to, may_see_identity
from aduan.complaints.models import Complaint
from aduan.complaints.privacy import complaint_as_seen_by
from aduan.core import refcache
from aduan.offices.models import Office
from aduan.portal.models import FaqEntry

PICKER_LIMIT = 12

# Reply fields of the case page's forms that get the picker (html names: `<action>-<field>`).
CANNED_FIELDS = ("answer-answer", "respond-response", "refer-reply",
                 "request_completion-note")


@dataclass(frozen=True)
class Canned:
    """One entry of the picker: an FAQ answer, a saved reply or a suggested answer."""

    kind: str  # "faq" | "saved" | "case"
    ref: str
    title: str
    text: str
    confidence: float | None = None
    reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"


# --------------------------------------------------------------------------------------------
# Office switch
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelSetting:
    mode: str
    threshold: float


def channel_setting(office: Office | int, channel_kind: str) -> ChannelSetting:
    """The office's switch for a channel kind; "suggest only" when never set."""
    office_id = office if isinstance(office, int) else office.pk
    row = ChannelAssist.objects.filter(office_id=office_id, channel_kind=channel_kind).first()
    if row is None:
        return ChannelSetting(AssistMode.SUGGEST, DEFAULT_THRESHOLD)
    return ChannelSetting(row.mode, row.threshold)


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------


# The case page reads "has it any ...?" of the assist app in the case's own query
# (`case_page_flags`, access_complaint's annotations) and skips the lookups that would find
# nothing. A case fetched without them is looked up as before.
HAS_SUGGESTION = "assist_has_suggestion"
HAS_HINTS = "assist_has_open_hints"
HAS_DUPLICATES = "assist_has_duplicates"
HAS_INSTANT = "assist_has_instant_answer"


def case_page_flags() -> dict[str, Exists]:
    """Annotations for the case page's complaint query (complaints.access.access_complaint)."""
    return {
        HAS_SUGGESTION: Exists(Suggestion.objects.filter(complaint=OuterRef("pk"))),
        HAS_HINTS: Exists(RelatedHint.objects.filter(complaint=OuterRef("pk"),
                                                     status=HintStatus.OPEN)),
        HAS_DUPLICATES: Exists(RelatedHint.objects.filter(related=OuterRef("pk"),
                                                          status=HintStatus.LINKED)),
        HAS_INSTANT: Exists(InstantAnswer.objects.filter(complaint=OuterRef("pk"))),
    }


def _absent(complaint: Complaint, flag: str) -> bool:
    """The case's own query said it has none (False); unknown (not annotated) is not absent."""
    return complaint.__dict__.get(flag) is False


def suggestion_for(complaint: Complaint) -> Suggestion | None:
    """The case's stored suggestion, read once per case instance (the case page asks for it
    from several places)."""
    memo = complaint.__dict__
    if "_assist_suggestion" not in memo:
        memo["_assist_suggestion"] = (None if _absent(complaint, HAS_SUGGESTION) else
                                      Suggestion.objects.filter(complaint=complaint).first())
    return cast("Suggestion | None", memo["_assist_suggestion"])


def authority_ranking(complaint: Complaint) -> list[dict[str, Any]]:
    """`authority_suggestions` for one case from its memoised suggestion (no query of its own
    on the case page, which reads the suggestion anyway)."""
    suggestion = suggestion_for(complaint)
    if suggestion is None or suggestion.error:
        return []
    return list((suggestion.data or {}).get("authority") or [])


def authority_suggestions(complaint_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The stored authority ranking (taxonomy code, label, confidence, reason; best first) of
    each case that has one, in one query: the routing desk ranks offices by it. A case whose
    suggestion is not computed yet, was switched off or failed is absent."""
    rows = Suggestion.objects.filter(complaint_id__in=complaint_ids, error="").values_list(
        "complaint_id", "data")
    return {pk: list((data or {}).get("authority") or []) for pk, data in rows
            if (data or {}).get("authority")}


def suggested_answers(complaint: Complaint | None) -> list[Canned]:
    """The engine's top answers for the case, best first (none without a suggestion)."""
    if complaint is None:
        return []
    suggestion = suggestion_for(complaint)
    if suggestion is None:
        return []
    answers: list[dict[str, Any]] = suggestion.data.get("answers") or []
    return [
        Canned(kind="case" if a.get("kind") == "case" else "faq", ref=str(a.get("ref", "")),
               title=str(a.get("title", "")), text=str(a.get("text", "")),
               confidence=float(a.get("confidence") or 0), reason=str(a.get("reason", "")))
        for a in answers[:3] if a.get("text")
    ]


# --------------------------------------------------------------------------------------------
# Canned answers (picker)
# --------------------------------------------------------------------------------------------


def _faq_entries(office: Office) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(office=office, is_published=True)


def _saved_replies(office: Office) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(office=office, is_active=True)


def _office_canned(office: Office) -> tuple[list[Canned], list[Canned]]:
    """The office's saved replies and published FAQ answers as picker entries, memoised per
    process (core/refcache.py watches both tables): the case page lists them with no query."""
    def build() -> tuple[tuple[Canned, ...], tuple[Canned, ...]]:
        return (tuple(Canned("saved", str(r.pk), r.title, r.body) for r in _saved_replies(office)),
                tuple(Canned("faq", str(f.pk), f.question, f.answer)
                      for f in _faq_entries(office)))

    saved, faqs = refcache.memo(("assist-canned", office.pk), build)
    return list(saved), list(faqs)


def canned_answers(office: Office, *, complaint: Complaint | None = None, query: str = "",
                   limit: int = PICKER_LIMIT) -> list[Canned]:
    """The picker's list: with no query, the suggested answers first, then the saved replies
    and the FAQ in their office order; with a query, the entries sharing the most stemmed words
    with it (PySastrawi, as the portal's FAQ search), suggested ones first on a tie."""
    from aduan.portal.search import score, stems

    suggested = suggested_answers(complaint)
    seen = {c.key for c in suggested}
    saved, faqs = _office_canned(office)
    query = (query or "").strip()[:200]
    if not query:
        rest = [c for c in saved + faqs if c.key not in seen]
        return (suggested + rest)[:limit]
    words = stems(query)
    if not words:
        return []
    texts = {f"saved:{r.pk}": r.search_text for r in _saved_replies(office)}
    texts.update({f"faq:{f.pk}": f.search_text for f in _faq_entries(office)})
    ranked: list[tuple[int, int, Canned]] = []
    for order, item in enumerate(suggested + [c for c in saved + faqs if c.key not in seen]):
        document = texts.get(item.key) or _stem_cached(item)
        hits = score(words, document)
        if hits:
            ranked.append((-hits, order, item))
    ranked.sort(key=lambda row: (row[0], row[1]))
    return [item for _hits, _order, item in ranked[:limit]]


def _stem_cached(item: Canned) -> str:
    from aduan.portal.search import stem_text

    return stem_text(f"{item.title} {item.text}")


def canned_get(office: Office, key: str, *, complaint: Complaint | None = None) -> Canned | None:
    """One picker entry by its key ("faq:12", "saved:3", "case:<ref>"), of this office only."""
    kind, _sep, ref = (key or "").partition(":")
    if kind == "saved" and ref.isdigit() and len(ref) <= 12:
        reply = _saved_replies(office).filter(pk=int(ref)).first()
        return Canned("saved", ref, reply.title, reply.body) if reply else None
    if kind == "faq" and ref.isdigit() and len(ref) <= 12:
        faq = _faq_entries(office).filter(pk=int(ref)).first()
        return Canned("faq", ref, faq.question, faq.answer) if faq else None
    if kind in ("faq", "case"):
        # A suggested answer whose ref is not a row id (answers from similar closed cases).
        for item in suggested_answers(complaint):
            if item.key == key:
                return item
    return None


def saved_replies_for_office(office: Office) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(office=office).order_by("-is_active", "order", "title")


# --------------------------------------------------------------------------------------------
# Related cases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HintView:
    hint: RelatedHint
    related: Complaint  # as the viewer may see it (redacted outside the complaint team)
    reasons: list[str]


REASON_LABELS = {
    "phone": _("nomor telepon sama"),
    "email": _("alamat e-mail sama"),
    "nik": _("NIK sama"),
    "name": _("nama mirip"),
    "text": _("isi pengaduan mirip"),
    "service_type": _("jenis perizinan sama"),
    "recent": _("diterima dalam beberapa hari terakhir"),
}


def hints_for(user: User, complaint: Complaint) -> list[HintView]:
    """The open hints of a case that `user` may see: only related cases the user may open,
    and "same reporter" only when the user may see the identity of both cases (otherwise the
    hint itself would tell unit staff who a confidential reporter is)."""
    if not user.is_complaint_team or _absent(complaint, HAS_HINTS):
        return []
    hints = list(RelatedHint.objects.filter(complaint=complaint, status=HintStatus.OPEN)
                 .select_related("related", "related__reporter", "related__channel"))
    visible = set(complaints_visible_to(user).filter(
        pk__in=[h.related_id for h in hints]).values_list("pk", flat=True))
    shown: list[HintView] = []
    for hint in hints:
        if hint.related_id not in visible:
            continue
        if hint.kind == HintKind.SAME_REPORTER and not (
                may_see_identity(user, complaint) and may_see_identity(user, hint.related)):
            continue
        shown.append(HintView(hint, complaint_as_seen_by(user, hint.related),
                              [str(REASON_LABELS.get(r, r)) for r in hint.reasons]))
    return shown


def duplicates_of(user: User, complaint: Complaint) -> list[Complaint]:
    """Cases an officer settled as duplicates of this one (complaint team only)."""
    if not user.is_complaint_team or _absent(complaint, HAS_DUPLICATES):
        return []
    ids = RelatedHint.objects.filter(related=complaint, status=HintStatus.LINKED).values_list(
        "complaint_id", flat=True)
    return list(complaints_visible_to(user).filter(pk__in=ids)
                .select_related("channel").order_by("received_at"))


def instant_answer_for(complaint: Complaint) -> InstantAnswer | None:
    if _absent(complaint, HAS_INSTANT):
        return None
    return InstantAnswer.objects.filter(complaint=complaint).first()


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


def feedback_for_training(office: Office) -> list[dict[str, Any]]:
    """What officers accepted or changed, oldest first, with the case's text, for the triage
    training: one row per decision {"complaint_id", "text", "field", "suggested", "chosen",
    "accepted", "model_version", "at"}."""
    rows = (SuggestionFeedback.objects.filter(office=office)
            .select_related("complaint").order_by("created_at", "id"))
    return [
        {"complaint_id": row.complaint_id,
         "text": f"{row.complaint.subject}\n{row.complaint.description}",
         "field": row.field, "suggested": row.suggested, "chosen": row.chosen,
         "accepted": row.accepted, "model_version": row.model_version,
         "at": row.created_at.isoformat()}
        for row in rows
    ]


# --------------------------------------------------------------------------------------------
# The case page
# --------------------------------------------------------------------------------------------

FIELD_LABELS = {
    "intent": _("Maksud"),
    "authority": _("Kewenangan"),
    "category": _("Kategori"),
    "service_type": _("Jenis perizinan"),
    "unit": _("Bidang"),
    "agency": _("Instansi rujukan"),
}


@dataclass(frozen=True)
class SuggestionRow:
    field: str
    label: str
    code: str
    value: str
    confidence: float
    reason: str
    # How to apply it: "post" (service type), "link" (pre-fill a form), or "" (information).
    apply: str = ""
    apply_label: str = ""
    apply_param: str = ""
    apply_action: str = ""


def _top(data: dict[str, Any], field: str) -> dict[str, Any] | None:
    rows = data.get(field) or []
    return rows[0] if rows else None


def suggestion_rows(complaint: Complaint, actions: list[str]) -> list[SuggestionRow]:
    """The top suggestion per field with what one click would do with it, for the actions
    this viewer may take now (`actions`: desk action names)."""
    suggestion = suggestion_for(complaint)
    if suggestion is None or not suggestion.data:
        return []
    data = suggestion.data
    rows: list[SuggestionRow] = []
    for field in ("intent", "authority", "category", "service_type", "unit", "agency"):
        top = _top(data, field)
        if top is None:
            continue
        row = SuggestionRow(field, str(FIELD_LABELS[field]), str(top.get("code", "")),
                            str(top.get("label", "")), float(top.get("confidence") or 0),
                            str(top.get("reason", "")))
        if field == "service_type" and complaint.is_settled is False and (
                str(complaint.service_type_id or "") != row.code) and (
                "verify" in actions or "answer" in actions or "refer" in actions
                or "propose_disposition" in actions or "dispose" in actions):
            row = _with(row, "post", _("Tetapkan jenis perizinan"), row.code, "")
        elif field == "unit":
            action = next((a for a in ("dispose", "propose_disposition") if a in actions), "")
            if action:
                row = _with(row, "link", _("Usulkan disposisi") if action ==
                            "propose_disposition" else _("Disposisikan"),
                            f"unit:{row.code}", action)
        elif field == "agency" and "refer" in actions:
            row = _with(row, "link", _("Buka rujukan"), f"agency:{row.code}", "refer")
        rows.append(row)
    return rows


def _with(row: SuggestionRow, apply: str, label: Any, param: str, action: str) -> SuggestionRow:
    return SuggestionRow(row.field, row.label, row.code, row.value, row.confidence, row.reason,
                         apply, str(label), param, action)


def answer_action(actions: list[str]) -> str:
    """The reply form a suggested answer opens: "answer" while the case is new, else
    "respond"."""
    return next((a for a in ("answer", "respond") if a in actions), "")


def assist_prefill(complaint: Complaint, actions: list[str], param: str) -> dict[str, dict]:
    """Initial values for the case page's forms from a clicked suggestion (`?isi=...`):
    {action: initial}. Unknown or stale values pre-fill nothing."""
    from aduan.offices.models import ReferralAgency, Unit

    kind, _sep, value = (param or "").partition(":")
    if len(value) > 100:
        return {}
    if kind == "unit":
        action = next((a for a in ("dispose", "propose_disposition") if a in actions), "")
        unit = Unit.objects.filter(office_id=complaint.office_id, code=value,
                                   is_active=True).first()
        return {action: {"unit": unit.pk}} if action and unit else {}
    if kind == "agency" and "refer" in actions and value.isdigit():
        agency = ReferralAgency.objects.filter(office_id=complaint.office_id, pk=int(value),
                                               is_active=True).first()
        return {"refer": {"agency": agency.pk, "reply": agency.referral_text}} if agency else {}
    if kind == "answer" and value.isdigit():
        action = answer_action(actions)
        answers = suggested_answers(complaint)
        index = int(value)
        if action and index < len(answers):
            field = "answer" if action == "answer" else "response"
            return {action: {field: answers[index].text}}
    return {}


def assist_case_context(user: User, complaint: Complaint, actions: list[str]) -> dict[str, Any]:
    """What the case page shows of the assist app (desk/views/cases.py adds it)."""
    suggested = suggested_answers(complaint) if user.is_complaint_team else []
    canned_fields = [f for f in CANNED_FIELDS if f.partition("-")[0] in actions]
    return {
        "suggestions": suggestion_rows(complaint, actions) if user.is_complaint_team else [],
        "answers": suggested,
        "answer_action": answer_action(actions),
        "hints": hints_for(user, complaint),
        "duplicates": duplicates_of(user, complaint),
        "may_link": "answer" in actions,
        "instant": instant_answer_for(complaint) if user.is_complaint_team else None,
        "canned_fields": canned_fields,
        "canned": canned_answers(complaint.office, complaint=complaint)
        if canned_fields else [],
    }
