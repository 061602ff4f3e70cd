"""Keyword search over subject, description and reporter name, on each database's own
full-text index (created by migrations/0001_keyword_search_index.py)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from aduan.complaints.models import Complaint

# Words only: everything else (quotes, operators, punctuation) is dropped so user input can
# never be read as query syntax by FTS5 or to_tsquery.
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def search_terms(text: str) -> list[str]:
    """The words of a search box entry, lower-cased, at most MAX_TERMS of them."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


def _sqlite_condition(terms: list[str]) -> RawSQL:
    # Every word must occur (implicit AND), each as a prefix: "apot" finds "apotek".
    match = " ".join(f'"{t}"*' for t in terms)
    return RawSQL(
        "SELECT rowid FROM desk_complaint_fts WHERE desk_complaint_fts MATCH %s", [match])


def _postgres_condition(terms: list[str]) -> RawSQL:
    query = " & ".join(f"{t}:*" for t in terms)
    # Each branch uses its own GIN expression index; the text must match the index exactly.
    return RawSQL(
        "SELECT id FROM complaints_complaint "
        "WHERE to_tsvector('simple', subject || ' ' || description) "
        "@@ to_tsquery('simple', %s) "
        "UNION SELECT c.id FROM complaints_complaint c "
        "JOIN complaints_reporter r ON r.id = c.reporter_id "
        "WHERE to_tsvector('simple', r.name) @@ to_tsquery('simple', %s)",
        [query, query])


def complaints_matching(qs: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """`qs` narrowed to complaints whose subject, text or reporter name contain every word.

    Register numbers are matched exactly as well, so a pasted number finds its case. `qs`
    already carries the viewer's unit scoping, so search never widens what a user may see.
    """
    text = (text or "").strip()
    terms = search_terms(text)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        condition = _postgres_condition(terms)
    elif connection.vendor == "sqlite":
        condition = _sqlite_condition(terms)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(connection.vendor)
    if "/" in text:
        return qs.filter(register_number=text)
    return qs.filter(id__in=condition)
