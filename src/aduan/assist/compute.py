"""Background work on a new case: related-case hints (same reporter, same issue) and the
triage engine's suggestions, then an automatic answer when the office allows it."""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import math
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aduan.assist.engine import EngineUnavailable, engine_suggest
from aduan.assist.hooks import MAX_AGE
from aduan.assist.models import AssistMode, HintKind, RelatedHint, Suggestion
from aduan.assist.selectors import channel_setting
from aduan.complaints.models import Complaint, EventKind, Reporter
from aduan.offices.models import ChannelKind

logger = logging.getLogger(__name__)

# Same reporter: any earlier case of the office within this many days.
REPORTER_DAYS = 365
# Same issue: cases received within this many days before the new one.
ISSUE_DAYS = 30
ISSUE_CANDIDATES = 500
ISSUE_MIN_SCORE = 0.45
NAME_MIN_RATIO = 0.88
MAX_HINTS = 5

_SPACES = re.compile(r"\s+")
_NOT_LETTER = re.compile(r"[^a-z ]")
# Titles and honorifics people put in front of names.
_TITLES = frozenset({"bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "h", "hj", "dr", "ir",
                     "drs", "st", "se", "sh", "mh", "amd", "spd", "skm", "ners"})


def channel_kind_of(complaint: Complaint) -> str:
    """The channel kind the case came by (intake records it on the RECEIVED event; a shared
    "SMS / WA" channel is told apart that way)."""
    event = complaint.events.filter(kind=EventKind.RECEIVED).only("data").first()
    kind = (event.data or {}).get("channel_kind") if event is not None else None
    if kind in ChannelKind.values:
        return str(kind)
    return str(complaint.channel.kind)


def normalise_name(name: str) -> str:
    words = _NOT_LETTER.sub(" ", (name or "").lower().replace(".", " ")).split()
    return " ".join(w for w in words if w not in _TITLES)


# --------------------------------------------------------------------------------------------
# Related cases
# --------------------------------------------------------------------------------------------


def _same_reporter(complaint: Complaint) -> dict[int, set[str]]:
    """Earlier cases whose reporter shares a phone, e-mail or NIK, or has a very similar name:
    {complaint id: reasons}. Anonymous reporters have no identity to match."""
    reporter = complaint.reporter
    found: dict[int, set[str]] = {}
    if reporter.is_anonymous or reporter.anonymised_at is not None:
        return found
    since = complaint.received_at - dt.timedelta(days=REPORTER_DAYS)
    earlier = (Complaint.objects.filter(office_id=complaint.office_id, received_at__gte=since,
                                        reporter__is_anonymous=False)
               .exclude(pk=complaint.pk))
    keys = [("phone", reporter.phone), ("email", reporter.email),
            ("nik", reporter.nik_index)]
    for reason, value in keys:
        if not value:
            continue
        field = {"phone": "phone", "email": "email", "nik": "nik_index"}[reason]
        reporter_ids = list(Reporter.objects.filter(**{field: value})
                            .values_list("pk", flat=True)[:200])
        for pk in earlier.filter(reporter_id__in=reporter_ids).values_list("pk", flat=True)[:50]:
            found.setdefault(pk, set()).add(reason)
    name = normalise_name(reporter.name)
    if len(name) >= 5 and " " in name:
        recent = (earlier.filter(received_at__gte=complaint.received_at - dt.timedelta(days=90))
                  .order_by("-received_at").values_list("pk", "reporter__name")[:ISSUE_CANDIDATES])
        for pk, other in recent:
            other_name = normalise_name(other)
            if other_name and difflib.SequenceMatcher(None, name, other_name).ratio() >= \
                    NAME_MIN_RATIO:
                found.setdefault(pk, set()).add("name")
    return found


def _stem_counts(text: str) -> dict[str, int]:
    from aduan.portal.search import stems

    counts: dict[str, int] = {}
    for word in stems(text):
        counts[word] = counts.get(word, 0) + 1
    return counts


def _cosine(a: dict[str, int], b: dict[str, int]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _same_issue(complaint: Complaint) -> dict[int, tuple[float, set[str]]]:
    """Cases of the last days with similar text (stemmed words, cosine), a little closer when
    the service type is the same: {complaint id: (score, reasons)}."""
    mine = _stem_counts(f"{complaint.subject} {complaint.description}")
    if len(mine) < 2:
        return {}
    since = complaint.received_at - dt.timedelta(days=ISSUE_DAYS)
    rows = (Complaint.objects.filter(office_id=complaint.office_id, received_at__gte=since,
                                     received_at__lte=complaint.received_at
                                     + dt.timedelta(minutes=1))
            .exclude(pk=complaint.pk).order_by("-received_at")
            .values_list("pk", "subject", "description", "service_type_id")[:ISSUE_CANDIDATES])
    found: dict[int, tuple[float, set[str]]] = {}
    for pk, subject, description, service_type_id in rows:
        similarity = _cosine(mine, _stem_counts(f"{subject} {description}"[:4000]))
        reasons = {"text", "recent"}
        if complaint.service_type_id and service_type_id == complaint.service_type_id:
            similarity += 0.1
            reasons.add("service_type")
        if similarity >= ISSUE_MIN_SCORE:
            found[pk] = (min(similarity, 1.0), reasons)
    return found


def related_compute(complaint: Complaint) -> list[RelatedHint]:
    """Write the case's related-case hints (idempotent: existing hints are kept)."""
    hints: list[RelatedHint] = []
    reporter = _same_reporter(complaint)
    strength = {"nik": 1.0, "phone": 0.9, "email": 0.9, "name": 0.6}
    ranked = sorted(reporter.items(),
                    key=lambda kv: (-max(strength[r] for r in kv[1]), -kv[0]))[:MAX_HINTS]
    for pk, reasons in ranked:
        hints.append(RelatedHint(complaint=complaint, related_id=pk,
                                 kind=HintKind.SAME_REPORTER,
                                 score=max(strength[r] for r in reasons),
                                 reasons=sorted(reasons)))
    issue = sorted(_same_issue(complaint).items(), key=lambda kv: (-kv[1][0], -kv[0]))
    for pk, (score, reasons) in issue[:MAX_HINTS]:
        hints.append(RelatedHint(complaint=complaint, related_id=pk, kind=HintKind.SAME_ISSUE,
                                 score=round(score, 3), reasons=sorted(reasons)))
    RelatedHint.objects.bulk_create(hints, ignore_conflicts=True)
    return hints


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------


SKIPPED_OFF = "off"
SKIPPED_NO_ENGINE = "unavailable"


def suggestions_compute(complaint: Complaint) -> Suggestion | None:
    """Ask the engine once for the case and store the answer. A row is written also when the
    office switched suggestions off for the channel or the engine is not installed (its
    `error` says so), so the sweep does not come back for it."""
    existing = Suggestion.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    kind = channel_kind_of(complaint)
    setting = channel_setting(complaint.office_id, kind)
    text = f"{complaint.subject}\n{complaint.description}"
    data: dict[str, Any] = {}
    error = ""
    if setting.mode == AssistMode.OFF:
        error = SKIPPED_OFF
    else:
        try:
            data = engine_suggest(complaint.office, text, channel=kind)
        except EngineUnavailable:
            error = SKIPPED_NO_ENGINE
        except Exception as exc:
            logger.exception("triage failed for case %s", complaint.pk)
            error = f"{type(exc).__name__}: {exc}"[:500]
    try:
        with transaction.atomic():
            suggestion = Suggestion.objects.create(
                complaint=complaint, data=data, error=error,
                model_version=str(data.get("model_version", ""))[:100])
    except IntegrityError:  # computed by another worker meanwhile
        return Suggestion.objects.filter(complaint=complaint).first()
    if not error and setting.mode == AssistMode.AUTOMATIC:
        from aduan.assist.instant import instant_answer_consider

        instant_answer_consider(complaint, suggestion, threshold=setting.threshold)
    return suggestion


def assist_case(complaint_id: int) -> dict[str, int]:
    """Everything done for a new case in the background."""
    complaint = (Complaint.objects.select_related("office", "channel", "reporter")
                 .filter(pk=complaint_id).first())
    if complaint is None:
        return {"hints": 0, "suggestion": 0}
    hints = related_compute(complaint) if not RelatedHint.objects.filter(
        complaint=complaint).exists() else []
    suggestion = suggestions_compute(complaint)
    return {"hints": len(hints), "suggestion": int(bool(suggestion and suggestion.data))}


def assist_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic: cases of the last hour without a suggestion (their task was lost, e.g. the
    process died between commit and queueing), and automatic answers past their wait."""
    from aduan.assist.instant import instant_expire_due

    now = now or timezone.now()
    missing = list(Complaint.objects.filter(
        created_at__gte=now - dt.timedelta(hours=1),
        created_at__lte=now - dt.timedelta(seconds=30),
        received_at__gte=now - MAX_AGE, assist_suggestion__isnull=True,
    ).values_list("pk", flat=True)[:200])
    for pk in missing:
        assist_case(pk)
    return {"computed": len(missing), "expired": instant_expire_due(now=now)}
