"""Portal read paths: the public view of a case, knowledge-base search, the satisfaction index
(IKM) and open statistics.

Statistics are database aggregations over the whole office; they carry no personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models.functions import ExtractYear

from aduan.complaints.models import CaseEvent, Complaint, EventKind, _choice_label
from aduan.complaints.selectors import (
    complaint_get_by_number_and_phone,
    complaint_get_by_tracking_code,
)
from aduan.complaints.tracking import code_candidates
from aduan.complaints.workflow import Status
from aduan.core.exceptions import NotFound
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import IkmResult
from aduan.ikm.selectors import service_rating_ikm
from aduan.offices.models import Office, ReferralAgency
from aduan.offices.selectors import office_routes
from aduan.portal.models import FaqEntry
from aduan.portal.search import score, stem_text, stems
from aduan.portal.services import RATEABLE_STATUSES
from aduan.reports.selectors import Period, Row, complaint_statistics

SATISFACTION_STATUSES = frozenset({Status.RESPONDED, Status.CONCLUDED})


# --------------------------------------------------------------------------------------------
# Tracking
# --------------------------------------------------------------------------------------------


class PublicEvent(NamedTuple):
    """A public event of a case as the tracking page shows it (`_timeline_of`): the columns of
    `CaseEvent` it reads, as a tuple instead of a model instance (building a model runs its
    `__init__` and the pre- and post-init signals for every event of every lookup)."""

    id: int
    complaint_id: int
    kind: str
    actor_id: int | None
    actor_label: str
    is_public: bool
    body: str
    data: Any
    created_at: dt.datetime

    @property
    def pk(self) -> int:
        return self.id

    def get_kind_display(self) -> str:
        return _choice_label(EventKind, self.kind)


class PublicChannel(NamedTuple):
    id: int
    name: str


class PublicComplaint(NamedTuple):
    """What the tracking page shows of a case found by `public_case_find`, as a tuple: the
    row's columns with their dates converted, instead of a `Complaint` with some sixty
    deferred fields (Django's `from_db` of a partial row walks every field of the model)."""

    id: int
    updated_at: Any
    office_id: int
    status: str
    subject: str
    register_number: str
    channel: PublicChannel
    received_on: dt.date
    due_on: dt.date
    completion_due_on: dt.date | None
    settled_on: dt.date | None
    working_days_taken: int | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def channel_id(self) -> int:
        return self.channel.id

    def get_status_display(self) -> str:
        return _choice_label(Status, self.status)


@dataclass(frozen=True)
class PublicCase:
    """What anyone holding the tracking code may see: no personal data, no internal notes."""

    complaint: Complaint | PublicComplaint
    timeline: list[PublicEvent]
    may_confirm: bool
    may_rate: bool
    rating: ServiceRating | None
    # The reporter's personal data was erased: the code shows progress only, acts for nobody.
    is_anonymised: bool = False
    # Found by register number and phone digits, not by the code: progress only, no actions.
    by_number: bool = False
    # The office handling the case, named on an instance of several offices ("Ditangani oleh":
    # a forwarded case keeps its code and changes office); empty on a single-office one.
    handled_by: str = ""


def handling_office_name(office_id: int) -> str:
    """The name of the office handling a case, for the public page: empty when the instance
    serves that office alone (single-office deployments look as before). From the memoised
    office map (offices/selectors.py); an office since deactivated is read by its id."""
    routes = office_routes()
    office = next((o for o in routes.active if o.pk == office_id), None)
    if office is not None and len(routes.active) == 1:
        return ""
    if office is None:
        return Office.objects.filter(pk=office_id).values_list("name", flat=True).first() or ""
    return office.name


def public_case_get(code: str) -> PublicCase:
    """The public view of the case with tracking code `code` (NotFound otherwise).

    Two queries: the case with its channel and rating (what the page shows of them), and the
    public timeline.
    """
    complaint = complaint_get_by_tracking_code(code, related=("channel", "rating", "reporter"))
    try:
        rating = complaint.rating
    except ServiceRating.DoesNotExist:
        rating = None
    anonymised = complaint.reporter.anonymised_at is not None
    return PublicCase(
        complaint=complaint,
        timeline=_timeline_of(complaint.pk),
        may_confirm=not anonymised and complaint.status in SATISFACTION_STATUSES,
        may_rate=not anonymised and rating is None and complaint.status in RATEABLE_STATUSES,
        rating=rating,
        is_anonymised=anonymised,
        handled_by=handling_office_name(complaint.office_id),
    )


# What the public tracking page shows of a case (templates/portal/_track_case.html), read in
# one statement by `public_case_find`: no reporter's data but whether it was erased.
# (In the model's order of fields, as `Model.from_db` takes them.)
_PUBLIC_COLUMNS = tuple(f.attname for f in Complaint._meta.concrete_fields if f.attname in {
    "id", "updated_at", "office_id", "status", "subject", "register_number", "channel_id",
    "received_on", "due_on", "completion_due_on", "settled_on", "working_days_taken",
    "reporter_id", "tracking_code", "is_secret"})
# The dates of the row, which SQLite returns as text (converted as the fields convert them).
_DATE_FIELDS = [(f.attname, f.to_python) for f in Complaint._meta.concrete_fields
                if f.attname in _PUBLIC_COLUMNS and f.get_internal_type() == "DateField"]
_ID, _UPDATED_AT = _PUBLIC_COLUMNS.index("id"), _PUBLIC_COLUMNS.index("updated_at")
# The case's part of a row of `_find_sql`: its columns, the channel's name, the reporter's
# anonymisation mark, the rating's id and score; then the event's columns.
_CASE_WIDTH = len(_PUBLIC_COLUMNS) + 4
_FIND_SQL: str | None = None
_TIMELINE_SQL: str | None = None


def _find_sql() -> str:
    global _FIND_SQL  # noqa: PLW0603
    if _FIND_SQL is None:
        from aduan.complaints.models import Reporter
        from aduan.offices.models import Channel

        q = connection.ops.quote_name
        columns = ", ".join(f"c.{q(name)}" for name in _PUBLIC_COLUMNS)
        events = ", ".join(f"e.{q(name)}" for name in _TIMELINE_COLUMNS)
        _FIND_SQL = (
            f"SELECT {columns}, ch.{q('name')} AS channel_name, "  # noqa: S608
            f"r.{q('anonymised_at')} AS reporter_anonymised_at, "
            f"rt.{q('id')} AS rating_id, rt.{q('score')} AS rating_score, {events} "
            f"FROM {q(Complaint._meta.db_table)} c "
            f"JOIN {q(Channel._meta.db_table)} ch ON ch.{q('id')} = c.{q('channel_id')} "
            f"JOIN {q(Reporter._meta.db_table)} r ON r.{q('id')} = c.{q('reporter_id')} "
            f"LEFT JOIN {q(ServiceRating._meta.db_table)} rt "
            f"ON rt.{q('complaint_id')} = c.{q('id')} "
            f"LEFT JOIN {q(CaseEvent._meta.db_table)} e "
            f"ON e.{q('complaint_id')} = c.{q('id')} AND e.{q('is_public')} = %s "
            f"WHERE c.{q('tracking_code')} IN (%s, %s) AND c.{q('is_secret')} = %s "
            f"ORDER BY c.{q('id')}, e.{q('created_at')}, e.{q('id')}")
    return _FIND_SQL


def _timeline_sql() -> str:
    global _TIMELINE_SQL  # noqa: PLW0603
    if _TIMELINE_SQL is None:
        q = connection.ops.quote_name
        columns = ", ".join(q(name) for name in _TIMELINE_COLUMNS)
        _TIMELINE_SQL = (
            f"SELECT {columns} FROM {q(CaseEvent._meta.db_table)} "  # noqa: S608
            f"WHERE {q('complaint_id')} = %s AND {q('is_public')} = %s "
            f"ORDER BY {q('created_at')}, {q('id')}")
    return _TIMELINE_SQL


# In the model's order of fields, as `Model.from_db` takes them.
_TIMELINE_FIELDS = [f for f in CaseEvent._meta.concrete_fields if f.attname in {
    "id", "complaint_id", "kind", "actor_id", "actor_label", "is_public", "body", "data",
    "created_at"}]
_TIMELINE_COLUMNS = tuple(f.attname for f in _TIMELINE_FIELDS)
_EVENT_ID = _CASE_WIDTH + _TIMELINE_COLUMNS.index("id")  # in a row of `_find_sql`
_timeline_converters: dict[str, list[tuple[int, list[Any], Any]]] = {}


def _timeline_of(complaint_id: int) -> list[PublicEvent]:
    """The public timeline (as `complaint_public_timeline`: public events only, oldest first)
    from one statement (`_events`)."""
    with connection.cursor() as cursor:
        cursor.execute(_timeline_sql(), [complaint_id, True])
        return _events(cursor.fetchall())


def _events(rows: Any) -> list[PublicEvent]:
    """Rows of `_TIMELINE_COLUMNS` as `PublicEvent`s with the values a query set would give
    their fields: each column's converters (the JSON `data` and, on SQLite, the moments and
    the flag), looked up once per process and database vendor, are applied to the rows
    directly (no model instances: a sixth of a first lookup's CPU went to `from_db`, issue
    17)."""
    converters = _timeline_converters.get(connection.vendor)
    if converters is None:
        converters = []
        for i, field in enumerate(_TIMELINE_FIELDS):
            col = field.get_col(CaseEvent._meta.db_table)
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if functions:
                converters.append((i, functions, col))
        _timeline_converters[connection.vendor] = converters
    if not converters:
        return [PublicEvent._make(row) for row in rows]
    events = []
    for row in rows:
        values = list(row)
        for i, functions, col in converters:
            value = values[i]
            for function in functions:
                value = function(value, col, connection)
            values[i] = value
        events.append(PublicEvent._make(values))
    return events


@dataclass(frozen=True)
class FoundCase:
    """A public case found by its tracking code (`public_case_find`): its id, a mark of its
    state that changes with every change of the case (its `updated_at`), and its row."""

    pk: int
    state: str
    row: tuple[Any, ...]
    # Its public events' rows (`_TIMELINE_COLUMNS`), oldest first, read with it.
    event_rows: tuple[tuple[Any, ...], ...] = ()


def public_case_find(code: str, candidates: list[str] | None = None) -> FoundCase:
    """The public case with tracking code `code`, read in one statement compiled once per
    process (the lookup is the portal's hot path): the columns the page shows, its channel's
    name, its rating, whether its reporter was anonymised, and nothing else of the reporter;
    and its public timeline, a row per event (the case's columns repeated: a page shows a
    handful of events, and a second statement was a second round trip to PostgreSQL).
    NotFound as `complaint_get_by_tracking_code`: malformed, unknown and secret codes alike.
    (Two spellings of a code both stored would be two cases: the first by id is taken.)
    `candidates`: `code_candidates(code)` when the caller has it already (the portal's lookup
    normalises the code once for the rate count and the read)."""
    if candidates is None:
        candidates = code_candidates(code)
    if not candidates:
        raise NotFound()
    with connection.cursor() as cursor:
        cursor.execute(_find_sql(), [True, candidates[0], candidates[-1], False])
        rows = cursor.fetchall()
    if not rows:
        raise NotFound()
    first = rows[0]
    pk, n = first[_ID], _CASE_WIDTH
    return FoundCase(
        pk=pk, state=str(first[_UPDATED_AT]), row=tuple(first[:n]),
        event_rows=tuple(row[n:] for row in rows
                         if row[_ID] == pk and row[_EVENT_ID] is not None))


def public_case_of(found: FoundCase) -> PublicCase:
    """The public view of a case found by `public_case_find`, with no further statement (its
    public timeline, as `complaint_public_timeline`, was read with it). The complaint is a `PublicComplaint`
    of the columns the page shows (its dates converted as the model's fields convert them)."""
    row = found.row
    n = len(_PUBLIC_COLUMNS)
    values = dict(zip(_PUBLIC_COLUMNS, row[:n], strict=True))
    for name, to_python in _DATE_FIELDS:
        if (value := values[name]) is not None and not isinstance(value, dt.date):
            values[name] = to_python(value)
    channel_name, anonymised_at, rating_id, rating_score = row[n:]
    complaint = PublicComplaint(
        id=values["id"], updated_at=values["updated_at"], office_id=values["office_id"],
        status=values["status"], subject=values["subject"],
        register_number=values["register_number"],
        channel=PublicChannel(values["channel_id"], channel_name),
        received_on=values["received_on"], due_on=values["due_on"],
        completion_due_on=values["completion_due_on"], settled_on=values["settled_on"],
        working_days_taken=values["working_days_taken"])
    rating = None if rating_id is None else ServiceRating.from_db(
        connection.alias, ["id", "complaint_id", "score"],
        [rating_id, complaint.pk, int(rating_score)])
    anonymised = anonymised_at is not None
    return PublicCase(
        complaint=complaint,
        timeline=_events(found.event_rows),
        may_confirm=not anonymised and complaint.status in SATISFACTION_STATUSES,
        may_rate=not anonymised and rating is None and complaint.status in RATEABLE_STATUSES,
        rating=rating,
        is_anonymised=anonymised,
        handled_by=handling_office_name(complaint.office_id),
    )


def public_case_get_by_number(number: str, last_digits: str, *, office_id: int) -> PublicCase:
    """The case found by register number and the phone's last four digits: progress only.
    The reporter's actions (satisfied, reopen, rate) need the tracking code itself, a far
    stronger credential than four digits."""
    complaint = complaint_get_by_number_and_phone(number, last_digits, office_id=office_id)
    try:
        rating = complaint.rating
    except ServiceRating.DoesNotExist:
        rating = None
    return PublicCase(complaint=complaint, timeline=_timeline_of(complaint.pk),
                      may_confirm=False, may_rate=False, rating=rating, by_number=True,
                      handled_by=handling_office_name(complaint.office_id))


# --------------------------------------------------------------------------------------------
# Knowledge pages
# --------------------------------------------------------------------------------------------


def _ranked(items: list[Any], query: str, text_of: Any) -> list[Any]:
    query_stems = stems(query)
    if not query_stems:
        return items
    scored = [(score(query_stems, text_of(item)), i, item) for i, item in enumerate(items)]
    return [item for s, _i, item in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]


def faq_search(office: Office, query: str = "") -> list[FaqEntry]:
    """Published questions, best match first (stemmed words); all of them without a query."""
    entries = list(FaqEntry.objects.filter(office=office, is_published=True)
                   .order_by("order", "question"))
    return _ranked(entries, query, lambda e: e.search_text)


def referral_search(office: Office, query: str = "") -> list[ReferralAgency]:
    """Which agency handles what, best match first."""
    agencies = list(ReferralAgency.objects.filter(office=office, is_active=True)
                    .order_by("name"))
    return _ranked(agencies, query,
                   lambda a: stem_text(f"{a.name} {a.topics} {a.keywords}"))


# --------------------------------------------------------------------------------------------
# Satisfaction index (IKM, PermenPANRB 14/2017, SPEC §8)
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Public statistics (keterbukaan informasi, SPEC §5)
# --------------------------------------------------------------------------------------------


@dataclass
class PublicStats:
    """The open-data view of `reports.selectors.Statistics`: counts and durations only."""

    year: int | None
    years: list[int]
    total: int = 0
    settled: int = 0
    in_process: int = 0
    settled_within_deadline: int = 0
    average_working_days: float | None = None
    median_working_days: float | None = None
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_channel: list[dict[str, Any]] = field(default_factory=list)
    by_status: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    ikm: IkmResult | None = None

    @property
    def share_within_deadline(self) -> float | None:
        if not self.settled:
            return None
        return round(100 * self.settled_within_deadline / self.settled, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year, "total": self.total, "settled": self.settled,
            "in_process": self.in_process,
            "settled_within_deadline": self.settled_within_deadline,
            "share_within_deadline_percent": self.share_within_deadline,
            "average_working_days_to_settle": self.average_working_days,
            "median_working_days_to_settle": self.median_working_days,
            "by_month": self.by_month, "by_channel": self.by_channel,
            "by_status": self.by_status, "by_unit": self.by_unit,
            "ikm": self.ikm.as_dict() if self.ikm else None,
        }


def stats_years(office: Office) -> list[int]:
    return sorted(
        {int(y) for y in Complaint.objects.filter(office=office).order_by()
         .annotate(y=ExtractYear("received_on")).values_list("y", flat=True).distinct()},
        reverse=True)


def _rows(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"code": r.key, "label": r.label, "count": r.count} for r in rows]


def public_stats(office: Office, year: int | None) -> PublicStats:
    """Counts by month, channel, status and unit; average working days to settle; share
    settled within the deadline, for one year or (None) every year with complaints. The
    aggregations are the reports app's (`complaint_statistics`). The IKM is that of the
    ratings given in the year (or ever)."""
    years = stats_years(office)
    stats = PublicStats(year=year, years=years)
    stats.ikm = service_rating_ikm(
        office, Period(dt.date(year, 1, 1), dt.date(year, 12, 31)) if year is not None else None)
    if year is not None:
        period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    elif years:
        period = Period(dt.date(years[-1], 1, 1), dt.date(years[0], 12, 31))
    else:
        return stats
    figures = complaint_statistics(office, period)
    stats.total, stats.settled, stats.in_process = (
        figures.total, figures.settled, figures.in_process)
    stats.settled_within_deadline = figures.settled_on_time
    if figures.duration is not None and figures.duration.average is not None:
        stats.average_working_days = round(figures.duration.average, 1)
        stats.median_working_days = figures.duration.median
    stats.by_month = [
        {"code": r.key, "label": r.label, "count": r.count} for r in figures.by_month
        if r.count or year is not None]
    stats.by_channel = _rows(figures.by_channel)
    stats.by_status = _rows(figures.by_status)
    stats.by_unit = _rows(figures.by_unit)
    return stats


def public_stats_rows(stats: PublicStats) -> list[list[Any]]:
    """The statistics as flat rows (dimension, key, label, value) for CSV."""
    rows: list[list[Any]] = [["dimension", "key", "label", "value"]]
    rows += [
        ["summary", "total", "Jumlah pengaduan", stats.total],
        ["summary", "settled", "Selesai", stats.settled],
        ["summary", "in_process", "Dalam proses", stats.in_process],
        ["summary", "settled_within_deadline", "Selesai dalam batas waktu",
         stats.settled_within_deadline],
        ["summary", "share_within_deadline_percent", "Persentase selesai tepat waktu",
         "" if stats.share_within_deadline is None else stats.share_within_deadline],
        ["summary", "average_working_days_to_settle", "Rata-rata hari kerja penyelesaian",
         "" if stats.average_working_days is None else stats.average_working_days],
    ]
    rows += [["month", m["code"], m["label"], m["count"]] for m in stats.by_month]
    rows += [["channel", c["code"], c["label"], c["count"]] for c in stats.by_channel]
    rows += [["status", s["code"], s["label"], s["count"]] for s in stats.by_status]
    rows += [["unit", u["code"], u["label"], u["count"]] for u in stats.by_unit]
    if stats.ikm is not None:
        rows += _ikm_rows(stats.ikm)
    return rows


def _ikm_rows(ikm: IkmResult) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["ikm", "respondents", "Jumlah responden IKM", ikm.respondents],
        ["ikm", "survey_respondents", "Di antaranya jawaban survei penerima layanan",
         ikm.survey_respondents],
        ["ikm", "population", "Jumlah penerima layanan (populasi)",
         "" if ikm.population is None else ikm.population],
        ["ikm", "minimum_sample", "Sampel minimum PermenPANRB 14/2017",
         "" if ikm.minimum_sample is None else ikm.minimum_sample],
        ["ikm", "sample_below_minimum", "Sampel di bawah minimum",
         "ya" if ikm.below_minimum else "tidak"],
        ["ikm", "ratings_without_elements", "Penilaian tanpa sembilan unsur (tidak dihitung)",
         ikm.without_elements],
        ["ikm", "element_weight", "Bobot nilai rata-rata tertimbang tiap unsur",
         ikm.weight_label],
        ["ikm", "ikm", "Indeks Kepuasan Masyarakat", "" if ikm.ikm is None else ikm.ikm],
        ["ikm", "grade", "Mutu pelayanan", ikm.grade.letter if ikm.grade else ""],
    ]
    rows += [["ikm_element", r.element.label, str(r.element.name), r.nrr]
             for r in ikm.elements]
    return rows
