"""The routing desk's ranking: the triage authority suggestion mapped to the instance's offices.

Each case's stored suggestion (assist.Suggestion, computed in the background when the case
arrives) ranks taxonomy authorities; an office carries its label in `Office.authority`. Offices
whose label is among the suggested come first, by confidence; every other office follows in
name order with no score. Without a suggestion (not computed yet, switched off, or no triage
engine) all offices are in name order and none has a score: nothing is made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from aduan.offices.models import Office

# A suggestion below this confidence is no suggestion: the office keeps its rank (and its
# score in the list) but gets no one-click button.
BUTTON_MIN_CONFIDENCE = 0.05


@dataclass(frozen=True)
class OfficeChoice:
    office: Office
    confidence: float | None  # the suggested authority's probability; None: not suggested
    reason: str

    @property
    def percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)

    @property
    def is_suggested(self) -> bool:
        return self.confidence is not None and self.confidence >= BUTTON_MIN_CONFIDENCE


def rank_offices(offices: tuple[Office, ...] | list[Office],
                 authority: list[dict[str, Any]]) -> list[OfficeChoice]:
    """`offices` (in name order) ranked by the suggested authorities' confidence."""
    suggested: dict[str, tuple[float, str]] = {}
    for row in authority:
        code = str(row.get("code") or "")
        try:
            confidence = float(row.get("confidence") or 0.0)
        except (TypeError, ValueError):
            continue
        if code and code not in suggested:
            suggested[code] = (min(max(confidence, 0.0), 1.0), str(row.get("reason") or ""))
    first: list[OfficeChoice] = []
    rest: list[OfficeChoice] = []
    for office in offices:
        hit = suggested.get(office.authority) if office.authority else None
        if hit is None:
            rest.append(OfficeChoice(office, None, ""))
        else:
            first.append(OfficeChoice(office, hit[0], hit[1]))
    first.sort(key=lambda c: -(c.confidence or 0.0))  # stable: name order among equals
    return first + rest


def office_options(choices: list[OfficeChoice]) -> SafeString:
    """The `<option>`s of a case's "choose an office" list, in the ranked order, each scored
    office with its percentage."""
    return format_html_join("", '<option value="{}">{}{}</option>', (
        (str(c.office.pk), c.office.name, "" if c.percent is None else f" ({c.percent}%)")
        for c in choices))


@dataclass(frozen=True)
class RowChoices:
    suggested: list[OfficeChoice]  # the one-click buttons
    options: SafeString  # every office, ranked, for the list
    has_suggestion: bool


def row_choices(offices: tuple[Office, ...] | list[Office],
                suggestions: dict[int, list[dict[str, Any]]],
                complaint_ids: list[int]) -> dict[int, RowChoices]:
    """Each queued case's offices as the routing desk shows them. A regency has about 50
    offices and the desk lists up to 100 cases: 5,000 options drawn by the template loop cost
    ~100 ms a page at 5M (issue 18, session 8), so each distinct ranking's options are built
    once here (without a suggestion every case has the same, name-ordered list)."""
    plain = RowChoices(suggested=[], options=office_options(rank_offices(offices, [])),
                       has_suggestion=False)
    built: dict[tuple[tuple[int, int | None], ...], SafeString] = {}
    out: dict[int, RowChoices] = {}
    for pk in complaint_ids:
        authority = suggestions.get(pk)
        if not authority:
            out[pk] = plain if pk not in suggestions else RowChoices(
                suggested=[], options=plain.options, has_suggestion=True)
            continue
        ranked = rank_offices(offices, authority)
        key = tuple((c.office.pk, c.percent) for c in ranked)
        if key not in built:
            built[key] = office_options(ranked)
        out[pk] = RowChoices(suggested=[c for c in ranked if c.is_suggested],
                             options=built[key], has_suggestion=True)
    return out
