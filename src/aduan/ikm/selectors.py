"""The satisfaction index of a period: reporters' ratings and public survey answers together,
with the sample checked against the regulation's minimum for the period's population, and the
respondent profile tabulated. Used by the reports (dashboard, semester report) and the portal
(public statistics): both depend on this app, not on each other."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from django.db import connection
from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from aduan.ikm.models import (
    AgeBand,
    Education,
    Occupation,
    ServiceRating,
    Sex,
    SurveyPopulation,
    SurveyResponse,
)
from aduan.ikm.scoring import (
    ELEMENT_CODES,
    IkmResult,
    element_weight,
    ikm_from_totals,
    minimum_sample,
)
from aduan.offices.models import Office


class PeriodLike(Protocol):
    # Read-only, so the reports' frozen Period fits.
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


def _within(qs: QuerySet[Any], period: PeriodLike | None) -> QuerySet[Any]:
    if period is None:
        return qs
    zone = timezone.get_default_timezone()
    return qs.filter(
        created_at__gte=dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
        created_at__lt=dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min,
                                           tzinfo=zone))


# A rating holds all nine elements or none (`{}`: the check constraint
# `rating_elements_none_or_all_nine_1_to_4`), and a survey answer all nine: a missing key reads
# as NULL, which SUM skips, so the element sums need no filter of their own. Only the count of
# respondents tells complete ratings apart (one `has_keys`, instead of one per sum: building
# eleven filtered JSON aggregates cost milliseconds of CPU per dashboard).
def _element_sums() -> dict[str, Sum]:
    return {code: Sum(Cast(KT(f"elements__{code}"), IntegerField())) for code in ELEMENT_CODES}


def _sums(qs: QuerySet[Any], complete: Q | None) -> dict[str, Any]:
    """The element sums and the respondents of `qs`; with `complete` (the ratings), the rows
    that are not complete as `without_elements`."""
    extra = {} if complete is None else {"rows": Count("id")}
    out = qs.order_by().aggregate(respondents=Count("id", filter=complete), **extra,
                                  **_element_sums())
    if complete is not None:
        out["without_elements"] = out.pop("rows") - out["respondents"]
    return out


# `_sums` of the ratings and of the survey answers of one office or many, grouped by office, in
# one statement of SQL written out (`_office_sums_sql`; building and compiling the two ORM
# aggregates of eleven JSON expressions each cost more CPU than the rest of the IKM); the tests
# hold it equal to the ORM's `_sums`.
_ELEMENT_SQL = {
    "postgresql": "({t}.elements ->> '{code}')::integer",
    "sqlite": "CAST(json_extract({t}.elements, '$.\"{code}\"') AS INTEGER)",
}
_HAS_ELEMENT_SQL = {
    "postgresql": "{t}.elements ? '{code}'",
    "sqlite": "json_type({t}.elements, '$.\"{code}\"') IS NOT NULL",
}


def _bounds(period: PeriodLike | None) -> list[Any]:
    """The period's first and after-last instants (office time) as query parameters; none
    for "ever"."""
    if period is None:
        return []
    zone = timezone.get_default_timezone()
    return [connection.ops.adapt_datetimefield_value(value) for value in (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone))]


def _office_sums(office_ids: Sequence[int], period: PeriodLike | None,
                 ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """`_sums` of the ratings (with `without_elements`) and of the survey answers of each of
    `office_ids` within `period`, from one statement; an office without any is left out."""
    within = _bounds(period)
    found: tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]] = ({}, {})
    with connection.cursor() as cursor:
        cursor.execute(_office_sums_sql(connection.vendor, period is not None, len(office_ids)),
                       [*office_ids, *within, *office_ids, *within])
        for kind, office_id, respondents, count, *sums in cursor.fetchall():
            found[kind][office_id] = {"respondents": respondents,
                                      "without_elements": count - respondents,
                                      **dict(zip(ELEMENT_CODES, sums, strict=True))}
    return found


_NO_SUMS: dict[str, Any] = {"respondents": 0, "without_elements": 0,
                            **dict.fromkeys(ELEMENT_CODES)}


def _period_sums(office_id: int, period: PeriodLike | None) -> tuple[dict[str, Any],
                                                                      dict[str, Any]]:
    """`_sums` of the office's ratings (with `without_elements`) and of its survey answers in
    `period`, from one statement."""
    ratings, survey = _office_sums([office_id], period)
    return ratings.get(office_id, _NO_SUMS), survey.get(office_id, _NO_SUMS)


def _ikm(ratings: dict[str, Any], survey: dict[str, Any], population: int | None,
         weight: Any) -> IkmResult:
    """The IKM of an office's rating and survey sums, its sample checked against `population`."""
    result = ikm_from_totals(
        respondents=ratings["respondents"] + survey["respondents"],
        without_elements=ratings["without_elements"],
        totals={code: (ratings[code] or 0) + (survey[code] or 0) for code in ELEMENT_CODES},
        weight=weight)
    return replace(result, population=population, survey_respondents=survey["respondents"],
                   minimum_sample=None if population is None else minimum_sample(population))


def period_population(office: Office, period: PeriodLike | None) -> int | None:
    """The population the office set for the semesters `period` covers (summed), or None when
    any of them has none (or for "ever")."""
    if period is None:
        return None
    halves = _halves(period)
    rows = {(r.year, r.half): r.population for r in SurveyPopulation.objects.filter(
        office=office, year__in={y for y, _h in halves})}
    if not halves or any(h not in rows for h in halves):
        return None
    return sum(rows[h] for h in halves)


def service_rating_ikm(office: Office, period: PeriodLike | None) -> IkmResult:
    """The IKM of the answers given within `period` (None: ever): the nine elements of the
    office's reporters' ratings and of its public survey answers.

    The period is that of the survey: the day an answer was given (office time), not the day a
    case was received, so a closed period's index no longer changes. Only ratings with all nine
    elements count; ratings from before the nine-element form (an overall score only) are
    counted apart as `without_elements` and left out. One statement sums each element of the
    ratings and of the survey answers (`_period_sums`), Python does the arithmetic. The sample is checked against the regulation's
    minimum for the period's population (`SurveyPopulation`), when the office set it.
    """
    ratings, survey = _period_sums(office.pk, period)
    return _ikm(ratings, survey, period_population(office, period), element_weight())


@functools.lru_cache(maxsize=64)
def _office_sums_sql(vendor: str, within: bool, offices: int) -> str:
    """A line per office of `offices` (placeholders for their ids) that has ratings (kind 0)
    and per office that has survey answers (kind 1), each with the office, the respondents,
    the rows and the nine element sums. Nothing but names from the code goes into the text."""
    def sums(t: str) -> str:
        return ", ".join(f"SUM({_ELEMENT_SQL[vendor].format(t=t, code=code)})"
                         for code in ELEMENT_CODES)

    complete = " AND ".join(_HAS_ELEMENT_SQL[vendor].format(t="r", code=code)
                            for code in ELEMENT_CODES)
    rating, complaint = ServiceRating._meta, ServiceRating.complaint.field.related_model._meta
    period = " AND {t}.created_at >= %s AND {t}.created_at < %s" if within else ""
    ids = ", ".join(["%s"] * offices)
    # No value in the text (S608): the offices and the period are parameters.
    return (
        f"SELECT 0, c.office_id, COUNT(*) FILTER (WHERE {complete}), COUNT(*), "  # noqa: S608
        f"{sums('r')} "
        f"FROM {rating.db_table} r INNER JOIN {complaint.db_table} c ON r.complaint_id = c.id "
        f"WHERE c.office_id IN ({ids}){period.format(t='r')} GROUP BY c.office_id "
        f"UNION ALL SELECT 1, s.office_id, COUNT(*), COUNT(*), {sums('s')} "
        f"FROM {SurveyResponse._meta.db_table} s WHERE s.office_id IN ({ids})"
        f"{period.format(t='s')} GROUP BY s.office_id")


def service_rating_ikm_by_office(offices: Sequence[Office], period: PeriodLike | None,
                                 ) -> dict[int, IkmResult]:
    """`service_rating_ikm` of many offices at once (the regency dashboard and the public
    regency statistics): the same figures from one grouped statement of SQL written out (the
    ORM's two grouped aggregates of eleven JSON expressions cost 8 ms of CPU at 50 offices,
    docs/benchmarks.md) and the populations' query, whatever the number of offices."""
    ids = [o.pk for o in offices]
    if not ids:
        return {}
    ratings, survey = _office_sums(ids, period)
    populations = _populations(ids, period)
    weight = element_weight()
    return {office_id: _ikm(ratings.get(office_id, _NO_SUMS), survey.get(office_id, _NO_SUMS),
                            populations.get(office_id), weight)
            for office_id in ids}


def _halves(period: PeriodLike) -> set[tuple[int, int]]:
    halves = set()
    year, half = period.start.year, 1 if period.start.month <= 6 else 2
    last = (period.end.year, 1 if period.end.month <= 6 else 2)
    while (year, half) <= last:
        halves.add((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def _populations(office_ids: Sequence[int], period: PeriodLike | None) -> dict[int, int]:
    """`period_population` of each office that set one for every semester of the period."""
    if period is None:
        return {}
    halves = _halves(period)
    found: dict[int, dict[tuple[int, int], int]] = {}
    for office_id, year, half, population in SurveyPopulation.objects.filter(
            office_id__in=office_ids, year__in={y for y, _h in halves}).values_list(
            "office_id", "year", "half", "population"):
        found.setdefault(office_id, {})[(year, half)] = population
    return {office_id: sum(rows[h] for h in halves) for office_id, rows in found.items()
            if halves and all(h in rows for h in halves)}


@dataclass(frozen=True)
class ProfileRow:
    dimension: str
    code: str
    label: str
    count: int


PROFILE_DIMENSIONS = (("age_band", AgeBand), ("sex", Sex), ("education", Education),
                      ("occupation", Occupation))


def survey_profile(office: Office, period: PeriodLike | None) -> list[ProfileRow]:
    """Respondents of the public survey per age band, sex, education and occupation (every
    choice listed, zeros included), for the report's respondent table."""
    qs = _within(SurveyResponse.objects.filter(office=office), period).order_by()
    rows: list[ProfileRow] = []
    for name, choices in PROFILE_DIMENSIONS:
        counts = dict(qs.values_list(name).annotate(n=Count("id")).values_list(name, "n"))
        rows += [ProfileRow(name, value, str(label), counts.get(value, 0))
                 for value, label in choices.choices]
    return rows
