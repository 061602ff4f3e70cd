"""Keyword search over subject, description and reporter name, on each database's own
full-text index (created by desk/migrations/0001_keyword_search_index.py and 0002).

The inbox wants the newest matches first, 50 at a time, at a million cases. No single plan is
fast for every word:
- a rare word has few matches, best taken from the full-text index and sorted;
- a common word ("apotek", in a tenth of all cases) has so many that collecting and sorting
  them takes seconds, while walking the inbox index newest-first meets 50 matches within a
  few hundred rows.
So the search first asks, cheaply, how many matches a query has (SQLite: the first
RARE_LIMIT + 1 ids from FTS5; PostgreSQL: the planner's estimate from the GIN statistics) and
picks the plan from the answer. Both plans return exactly the same rows.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from aduan.complaints.models import Complaint

# Words only: everything else (quotes, operators, punctuation) is dropped so user input can
# never be read as query syntax by FTS5 or to_tsquery.
_WORD = re.compile(r"\w+", re.UNICODE)
# Something like 500.16.7.2/12/DPMPTSP/2025: slashes and at least one digit, no spaces.
_REGISTER_NUMBER = re.compile(r"^(?=.*\d)[^\s/]+(/[^\s/]+)+$")
MAX_TERMS = 8
RARE_LIMIT = 2000
# PostgreSQL walks the inbox index when the planner expects at least this many matches.
PG_COMMON_ESTIMATE = 20_000

# Must stay identical to the index expressions of migration 0002 so the GIN index is used.
_PG_TEXT = "to_tsvector('simple', translate(subject || ' ' || description, '/', ' '))"
_PG_NAME = "to_tsvector('simple', name)"
# The same expression, qualified: the inbox query also joins tables with a `description`.
_PG_ROW_TEXT = ("to_tsvector('simple', translate(complaints_complaint.subject || ' ' || "
                "complaints_complaint.description, '/', ' '))")
# Only module constants are interpolated below; user text is always a bound parameter.
_PG_IDS = (f"SELECT id FROM complaints_complaint WHERE {_PG_TEXT} "  # noqa: S608
           "@@ to_tsquery('simple', %s) UNION SELECT c.id FROM complaints_complaint c "
           "JOIN complaints_reporter r ON r.id = c.reporter_id "
           f"WHERE {_PG_NAME} @@ to_tsquery('simple', %s)")
_SQLITE_IDS = ("SELECT rowid FROM desk_complaint_fts WHERE desk_complaint_fts MATCH %s")


def search_terms(text: str) -> list[str]:
    """The words of a search box entry, lower-cased, at most MAX_TERMS of them."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


def _fts_query(terms: list[str], *, by_name: bool = True) -> str:
    if connection.vendor == "postgresql":
        return " & ".join(f"{t}:*" for t in terms)
    # Every word must occur (implicit AND), each as a prefix: "apot" finds "apotek".
    words = " ".join(f'"{t}"*' for t in terms)
    return words if by_name else f"{{subject description}} : ({words})"


def _is_common(query: str) -> bool:
    """Whether the query matches so many cases that walking the inbox index is cheaper."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner multiplies the selectivities of ANDed words, but words in complaints
            # go together ("oss nib", "izin apotek"); the rarest word bounds the count better.
            estimates = []
            for term in query.split(" & "):
                cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT id FROM complaints_complaint "  # noqa: S608
                               f"WHERE {_PG_TEXT} @@ to_tsquery('simple', %s)", [term])
                estimates.append(int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"]))
            return min(estimates) >= PG_COMMON_ESTIMATE
        cursor.execute(f"SELECT count(*) FROM ({_SQLITE_IDS} LIMIT %s)",  # noqa: S608
                       [query, RARE_LIMIT + 1])
        return bool(cursor.fetchone()[0] > RARE_LIMIT)


def _matches(query: str, *, common: bool, by_name: bool = True) -> RawSQL:
    if connection.vendor == "postgresql" and not by_name:
        if common:
            return RawSQL(f"{_PG_ROW_TEXT} @@ to_tsquery('simple', %s)",  # noqa: S611
                          [query], output_field=BooleanField())
        return RawSQL("complaints_complaint.id IN (SELECT id FROM complaints_complaint "  # noqa: S611,S608
                      f"WHERE {_PG_TEXT} @@ to_tsquery('simple', %s))",
                      [query], output_field=BooleanField())
    if connection.vendor == "postgresql":
        if common:  # evaluated row by row while walking the inbox index
            return RawSQL(  # noqa: S611 - constants only; user text is a bound parameter
                f"({_PG_ROW_TEXT} @@ to_tsquery('simple', %s) OR EXISTS (SELECT 1 FROM "  # noqa: S608
                "complaints_reporter r WHERE r.id = complaints_complaint.reporter_id AND "
                f"{_PG_NAME.replace('name', 'r.name')} @@ to_tsquery('simple', %s)))",
                [query, query], output_field=BooleanField())
        return RawSQL(f"complaints_complaint.id IN ({_PG_IDS})",  # noqa: S611
                      [query, query], output_field=BooleanField())
    # SQLite: the match set is built once from FTS5. For a common word the unary plus keeps
    # SQLite from driving the query by id, so it walks the inbox index newest-first and
    # probes the set; for a rare word the ids drive and the few rows are sorted.
    prefix = "+" if common else ""
    return RawSQL(f"{prefix}complaints_complaint.id IN ({_SQLITE_IDS})",  # noqa: S611
                  [query], output_field=BooleanField())


def complaints_matching(qs: QuerySet[Complaint], text: str, *,
                        by_name: bool = True) -> QuerySet[Complaint]:
    """`qs` narrowed to complaints whose subject, text or reporter name contain every word.

    `by_name=False` is for viewers outside the complaint team: the reporter's name is left
    out, and a confidential reporter's cases are not searched by their words at all (only by
    register number), else a unit could confirm who filed one by searching a name that the
    page itself shows redacted (complaints/privacy.py).

    A register number (it contains "/") is matched exactly, so a pasted number finds its
    case. `qs` already carries the viewer's unit scoping, so search never widens what a user
    may see. Costs one cheap estimate query (PostgreSQL: one per word) plus the page query.
    """
    text = (text or "").strip()
    if _REGISTER_NUMBER.match(text):
        return qs.filter(register_number=text)
    terms = search_terms(text)
    if not terms:
        return qs
    if not by_name:
        qs = qs.exclude(reporter__is_confidential=True)
    query = _fts_query(terms, by_name=by_name)
    return qs.filter(_matches(query, common=_is_common(query), by_name=by_name))
