"""Keyword search over subject, description and reporter name, on each database's own
full-text index (created by desk/migrations/0001_keyword_search_index.py and 0002).

The inbox wants the newest matches first, 50 at a time, at a million cases in one office and at
five million in fifty. No single plan is fast for every word:
- a rare word has few matches, best taken from the full-text index and sorted;
- a common word ("apotek", in a tenth of all cases) has so many that collecting and sorting
  them takes seconds, while walking the inbox index newest-first meets 50 matches within a
  few hundred rows.
So the search first asks, cheaply, how many matches a query has in the viewer's office
(SQLite: the first RARE_LIMIT + 1 ids from FTS5; PostgreSQL: the planner's estimates from the
statistics, in one EXPLAIN) and picks the plan from the answer. Every plan returns exactly the
same rows; only the time differs.

PostgreSQL, many offices on one instance (issue 18): the estimate is for the office the
queryset is pinned to, and the index plan reads only that office: its text matches, and its
cases of the reporters whose name matches (index (office_id, reporter_id), migration 0003),
never every match of the instance before the office narrows them. The walk tests a cheap
substring condition before parsing a row's text. A name that many reporters bear ("hidayat": one
reporter in twenty) is tested per walked row on the row's own reporter, read by its key, rather
than by first collecting every matching reporter of the instance into a hash (48,734 at a
million cases, 100 ms, for a page that walks 929 rows); a rarer name keeps the hash. How many
reporters bear a name comes from the name index's statistics (its most common words), not from
the planner, whose estimate for a word's beginning is the same 2 % for every word. Likewise a
word that begins none of the texts' most common words is counted as in no text (the planner's
floor of 4,199 cases in an office of 1,000,000 made the complaint team's search for a word
nobody wrote walk every case: 2.6-5.8 s). The name index is asked for exact words: each typed
beginning of letters is expanded to the names' words that begin with it (a table the database
keeps, desk/migrations/0004), as a word's beginning made GIN collect every reporter of every
matching word first (a full name of two common words at 1M: 50-190 ms -> 14-21 ms). For a
name of several words, the reporters who bear all of them are counted on a sample of names
rather than multiplied from each word's share (first and last names are not independent: 'rahm
hid' walked the inbox, 127-271 ms, for 1,595 reporters).
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import string
import threading
import time
from array import array
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND

from aduan.complaints.models import Complaint

logger = logging.getLogger(__name__)

# Words only: everything else (quotes, operators, punctuation) is dropped so user input can
# never be read as query syntax by FTS5 or to_tsquery.
_WORD = re.compile(r"\w+", re.UNICODE)
# Something like 500.16.7.2/12/DPMPTSP/2025: slashes and at least one digit, no spaces.
_REGISTER_NUMBER = re.compile(r"^(?=.*\d)[^\s/]+(/[^\s/]+)+$")
MAX_TERMS = 8
RARE_LIMIT = 2000
# PostgreSQL walks the inbox index when the planner expects, in the office, at least
# sqrt(factor * cases in the office) matches, or a density of 1 / PG_WALK_DENSITY. Walking
# reads about 50 / density rows; the index plan costs a heap fetch and a sort per match. Where
# the two cost the same: matches = sqrt(50 * (row cost / match cost) * cases). A row costs a
# tsvector parse (PG_WALK_FACTOR), unless a word of plain letters lets a substring test skip
# most rows first (PG_WALK_FACTOR_PREFILTERED; measured at 500,000 cases in 50 offices: at
# 800 matches in 111,160 cases the two plans took the same time, docs/benchmarks.md).
PG_WALK_FACTOR = 400
PG_WALK_FACTOR_PREFILTERED = 6
PG_WALK_DENSITY = 20
# Tests force one plan or the other: True, False, or None (choose by the estimate).
FORCE_COMMON: bool | None = None
# The walk's test of the reporter's name, forced likewise: True reads each walked row's reporter
# by its key, False hashes every matching reporter first, None chooses by the estimate.
FORCE_NAME_PER_ROW: bool | None = None

# How long a process keeps the full-text indexes' statistics (they change with ANALYZE).
NAME_STATS_SECONDS = 600
_TEXT_INDEX, _NAME_INDEX = "desk_complaint_fts", "desk_reporter_name_fts"
_NAME_STATS: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}
_NAME_STATS_SQL = ("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                   "WHERE schemaname = current_schema() AND tablename = %s "
                   "AND attname = 'to_tsvector'")

# A name of several words: the share of reporters whose name has every word is counted on a
# sample of about NAME_SAMPLE_ROWS reporters (whole blocks, the same ones every time), not
# multiplied from each word's share: first and last names do not go together as chance has it
# ('rahm hid': rahmat and rahmawati, a first and a last name, with the last name hidayat; at 1M
# the product said 3,994 reporters, there are 1,595).
#
# No request reads the sample (66-72 ms at 1M under load, over the desk's 50 ms): a background
# thread of the process reads it, with its own connection, first when a gunicorn worker has
# warmed up (config/gunicorn.py: a recycled worker's first search must not go without it) or the
# complaint team opens the inbox (`name_sample_prefetch`; another process that serves only the
# public never reads it), then when a search finds it older than NAME_STATS_SECONDS (the old one
# serves meanwhile). Until the first read is done a search counts with the product of the
# words' shares, as before the sample.
#
# An erasure or correction of a name bumps desk_reporter_name_version (the pruning trigger,
# desk/0007, in the erasing transaction: seen once it commits). A process reads that version at
# most once per NAME_VERSION_SECONDS, when a search uses the sample, and on a new one
# drops its sample at once (the erased name's words leave memory) and reads a new one. A process
# that holds a sample but no longer serves the complaint team has it checked by a watcher
# thread at least once per NAME_VERSION_IDLE_SECONDS (its own connection, opened and closed).
NAME_SAMPLE_ROWS = 30_000
NAME_VERSION_SECONDS = 1.0
NAME_VERSION_IDLE_SECONDS = 60.0
# Per connection alias: (read at, version, reporters, sorted words, per word the sampled
# reporters' positions). The positions are arrays of 4-byte integers, not lists of int objects:
# at 300,000 reporters with 15,000 rare family names, 31,861 sampled names with 1,602 distinct
# words keep 0.57 MB (2.5 MB as lists; 3.0 MB at the read's peak), in the processes that serve
# the complaint team only.
_NAME_SAMPLE: dict[str, tuple[float, int | None, int, list[str], dict[str, array[int]]]] = {}
# Per alias: when the version was last read, and what it was.
_NAME_VERSION_READ: dict[str, tuple[float, int | None]] = {}
_NAME_SAMPLE_LOCK = threading.Lock()
_NAME_SAMPLE_THREADS: dict[str, threading.Thread] = {}
_NAME_SAMPLE_WATCHERS: dict[str, threading.Thread] = {}
_NAME_VERSION_SQL = "SELECT version FROM desk_reporter_name_version"
# One text, a line per sampled reporter's name; Python splits the names into words as the
# parser does for names of letters, digits and ASCII punctuation (an estimate: a rarer name's
# words may differ from its lexemes). At 1M, 32,390 reporters: ~24 ms in the database and ~20 ms
# in Python under load 7; the name index's own lexemes (to_tsvector per sampled name, then an
# array per row) took ~90 + ~35 ms.
_NAME_SAMPLE_SQL = (
    "SELECT count(*), string_agg(translate(name, E'\\n', ' '), E'\\n') FROM complaints_reporter "
    "TABLESAMPLE SYSTEM (LEAST(100, %s * 100.0 / GREATEST((SELECT reltuples FROM pg_class "
    "WHERE oid = 'complaints_reporter'::regclass), 1))) REPEATABLE (0)")
_NAME_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))

# Must stay identical to the index expressions of migrations 0001 and 0002 so the GIN
# indexes are used.
_PG_TEXT = "to_tsvector('simple', translate(subject || ' ' || description, '/', ' '))"
_PG_NAME = "to_tsvector('simple', name)"
# The same expression, qualified: the inbox query also joins tables with a `description`.
_PG_ROW_TEXT = ("to_tsvector('simple', translate(complaints_complaint.subject || ' ' || "
                "complaints_complaint.description, '/', ' '))")
_PG_ROW_LOWER = ("lower(complaints_complaint.subject || ' ' || complaints_complaint.description)")
_PG_QUERY = "to_tsquery('simple', %s)"
# Only module constants are interpolated into SQL below; user text is always a bound parameter.
_PG_NAME_REPORTERS = f"SELECT r.id FROM complaints_reporter r WHERE {_PG_NAME} @@ {_PG_QUERY}"  # noqa: S608
# A name word's beginning expands to at most NAME_WORDS_MAX exact words (the names' distinct
# words, kept by triggers: desk/migrations/0004); beyond that it stays a beginning.
NAME_WORDS_MAX = 64
# One term's words as a tsquery ('rahmat' | 'rahmatullah'), each quoted as tsquery input wants
# (quotes and backslashes doubled); NULL, which matches no one, when no name has such a word.
_PG_NAME_WORDS = (
    f"(SELECT CASE WHEN count(*) > {NAME_WORDS_MAX} THEN {_PG_QUERY} ELSE "  # noqa: S608
    "string_agg('''' || replace(replace(w.word, '\\', '\\\\'), '''', '''''') || '''', ' | ')"
    "::tsquery END FROM (SELECT word FROM desk_reporter_name_word WHERE word LIKE %s "
    f"LIMIT {NAME_WORDS_MAX + 1}) w)")
# The walked row's own reporter, by its primary key: a scalar subquery, which PostgreSQL runs
# per row (an IN or EXISTS may become a hash of every matching reporter).
_PG_ROW_NAME = (f"COALESCE((SELECT {_PG_NAME} @@ {_PG_QUERY} FROM complaints_reporter r "  # noqa: S608
                "WHERE r.id = complaints_complaint.reporter_id), false)")
_SQLITE_IDS = "SELECT rowid FROM desk_complaint_fts WHERE desk_complaint_fts MATCH %s"
# A term the PostgreSQL text parser reads as one token whose lexeme is the term itself
# (letters only: "1e5x" is two tokens, "1e5" and "x").
_PLAIN_TERM = re.compile(r"^[a-z]{1,100}$")


def search_terms(text: str) -> list[str]:
    """The words of a search box entry, lower-cased, at most MAX_TERMS of them."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_TERMS]


def _fts_query(terms: list[str], *, by_name: bool = True) -> str:
    if connection.vendor == "postgresql":
        return " & ".join(f"{t}:*" for t in terms)
    # Every word must occur (implicit AND), each as a prefix: "apot" finds "apotek".
    words = " ".join(f'"{t}"*' for t in terms)
    return words if by_name else f"{{subject description}} : ({words})"


def _pinned_office(qs: QuerySet[Complaint]) -> int | None:
    """The office every row of `qs` belongs to, when `qs` says so in a top-level condition
    `office_id = N` (complaints/access.py pins every staff list to one office); else None.
    Only then may the search's own subqueries be narrowed to that office."""
    where = qs.query.where
    if where.connector != AND or where.negated:
        return None
    for child in where.children:
        if (isinstance(child, Exact) and isinstance(child.lhs, Col)
                and child.lhs.alias == Complaint._meta.db_table
                and child.lhs.target.attname == "office_id"
                and isinstance(child.rhs, int) and not isinstance(child.rhs, bool)):
            return child.rhs
    return None


def _pg_office(office_id: int | None, alias: str = "") -> tuple[str, list[int]]:
    if office_id is None:
        return "", []
    return f"{alias}office_id = %s AND ", [office_id]


def _pg_is_common(terms: list[str], *, by_name: bool, office_id: int | None) -> bool:
    """Whether `_pg_plan` walks the inbox index (bench/search_plans.py)."""
    return _pg_plan(terms, by_name=by_name, office_id=office_id)[0]


def _pg_plan(terms: list[str], *, by_name: bool, office_id: int | None) -> tuple[bool, bool]:
    """Whether to walk the inbox index (a common query) and, walking, whether to test the
    name on each row's reporter by its key rather than on a hash of every matching reporter.

    One EXPLAIN: the planner's estimates of the office's cases, and per word of the
    office's text matches (GIN statistics) and of the matching reporters. The rarest word
    bounds the count: the planner would multiply the selectivities of ANDed words, but words
    in complaints go together ("oss nib", "izin apotek"). The reporters who bear every word
    of the name come from the name index's statistics (`_pg_name_share`)."""
    office_sql, office_params = _pg_office(office_id)
    parts = ["ARRAY(SELECT 1 FROM complaints_complaint WHERE "  # noqa: S608 - constants only
             f"{office_sql}true)", "ARRAY(SELECT 1 FROM complaints_reporter)"]
    params: list[int | str] = [*office_params]
    for term in terms:
        parts.append(f"ARRAY(SELECT 1 FROM complaints_complaint WHERE {office_sql}"  # noqa: S608
                     f"{_PG_TEXT} @@ {_PG_QUERY})")
        params += [*office_params, f"{term}:*"]
        if by_name:
            parts.append(f"ARRAY({_PG_NAME_REPORTERS.replace('r.id', '1')})")
            params.append(f"{term}:*")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT {', '.join(parts)}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    rows = [float(p["Plan Rows"]) for p in plan["Plans"]]
    step = 2 if by_name else 1
    # The complaint team searches the whole office (and names): there a word nobody wrote must
    # not walk every case. Unit staff search their unit's cases, few enough to walk, while the
    # index plan reads the office's text index (in parallel workers: 10 -> 25-70 ms at 1M under
    # load): the planner's estimates stay theirs.
    texts = _pg_text_estimates(terms, rows[2::step]) if by_name else rows[2::step]
    names = rows[3::step] if by_name else [0.0] * len(terms)
    named_all = None
    if by_name and _pg_lexemes(_NAME_INDEX) is not None:
        share = _pg_name_sample_share(terms) if len(terms) > 1 else None
        if share is None:
            share = _pg_name_share(terms)
        named_all = share * max(rows[1], 1.0)
    return _pg_choose(terms, rows[0], rows[1], texts, names, by_name=by_name,
                      named_all=named_all)


def _pg_lexemes(index: str) -> dict[str, float] | None:
    """The most common words of a full-text index and the share of rows holding each
    (pg_stats, made by ANALYZE; read once per NAME_STATS_SECONDS per process); None when the
    index has no statistics yet."""
    now = time.monotonic()
    cached = _NAME_STATS.get((connection.alias, index))
    if cached is None or now - cached[0] > NAME_STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(_NAME_STATS_SQL, [index])
            row = cursor.fetchone()
        # The frequencies end with three summary numbers (min, max, nulls): zip drops them.
        lexemes = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        cached = _NAME_STATS[(connection.alias, index)] = (now, lexemes)
    return cached[1] or None


def _pg_share(lexemes: dict[str, float], term: str) -> float:
    return min(1.0, sum(f for lexeme, f in lexemes.items() if lexeme.startswith(term)))


def _pg_text_estimates(terms: list[str], estimates: list[float]) -> list[float]:
    """The planner's estimate of each term's text matches in the office, except for a term
    that begins none of the texts' most common words: for it the planner guesses a floor
    (4,199 cases in an office of 1,000,000, whatever the word), enough to walk the inbox index,
    and a word nobody wrote (a typo, a name) then walked every case of the office (2.6-3.7 s
    at 1M). Such a word is rarer than the rarest listed one: counted as none, it takes the
    index plan, whose cost its few matches bound."""
    lexemes = _pg_lexemes(_TEXT_INDEX)
    if lexemes is None:
        return estimates
    return [e if _pg_share(lexemes, t) > 0 else 0.0 for t, e in zip(terms, estimates,
                                                                     strict=True)]


def _pg_name_share(terms: list[str]) -> float:
    """The share of reporters whose name has a word beginning with each term, from the most
    common words of the name index. A term that begins none of them counts as 0: its reporters
    are fewer than the rarest listed word's, and the hash of them stays cheap. For several
    terms the shares multiply as if names were drawn word by word; `_pg_plan` asks
    `_pg_name_sample_share` for those instead, once the process has its sample."""
    lexemes = _pg_lexemes(_NAME_INDEX) or {}
    share = 1.0
    for term in terms:
        share *= _pg_share(lexemes, term)
    return share


def _name_sample_read(alias: str) -> tuple[int | None, int, list[str], dict[str, array[int]]]:
    """Read the sample on `alias` in this thread: the names' version, then the sampled
    reporters' number, their names' distinct words in order, and per word the positions of the
    sampled reporters whose name has it. The version is read first: an erasure that commits
    between the two reads leaves a sample without the name and an older version, which the next
    check replaces (read the other way round, a sample with the name could carry the new one)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(_NAME_VERSION_SQL)
        row = cursor.fetchone()
        cursor.execute(_NAME_SAMPLE_SQL, [NAME_SAMPLE_ROWS])
        count, text = cursor.fetchone()  # text is NULL for no rows
    postings: dict[str, array[int]] = {}
    lines = (text or "").lower().translate(_NAME_PUNCTUATION).split("\n") if count else []
    for i, line in enumerate(lines):
        for lexeme in line.split():
            held = postings.get(lexeme)
            if held is None:
                held = postings[lexeme] = array("I")
            held.append(i)
    return (row[0] if row else None), len(lines), sorted(postings), postings


def name_sample_load(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Read the sample now, in this thread (the background refresh; tests)."""
    now = time.monotonic()
    try:
        version, count, words, postings = _name_sample_read(alias)
    except Exception:  # read in a background thread: logged, never dead silently
        # Unusable until the next refresh (searches count with the product meanwhile).
        logger.exception("search: the name sample could not be read")
        _NAME_SAMPLE[alias] = (now, None, -1, [], {})
        return
    _NAME_VERSION_READ[alias] = (now, version)
    with _NAME_SAMPLE_LOCK:
        _NAME_SAMPLE[alias] = (now, version, count, words, postings)
        _thread_once(_NAME_SAMPLE_WATCHERS, alias, _name_sample_watch, "aduan-name-sample-watch")


def _name_sample_watch(alias: str) -> None:
    """While the process holds a sample, read the names' version at least once per
    NAME_VERSION_IDLE_SECONDS, even when no request uses the sample, and drop the sample on a
    new one: a process that stopped serving the complaint team must not keep an erased name.
    Ends when the process holds no sample."""
    while True:
        time.sleep(NAME_VERSION_IDLE_SECONDS)
        with _NAME_SAMPLE_LOCK:
            cached = _NAME_SAMPLE.get(alias)
            if cached is None:
                _NAME_SAMPLE_WATCHERS.pop(alias, None)
                return
        seen = _NAME_VERSION_READ.get(alias)
        if seen is not None and time.monotonic() - seen[0] < NAME_VERSION_IDLE_SECONDS:
            continue  # a request read it lately
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(_NAME_VERSION_SQL)
                row = cursor.fetchone()
        except Exception:  # a background thread: logged, never dead silently
            logger.exception("search: the names' version could not be read")
            continue
        finally:
            connections[alias].close()  # this thread's own connection
        version = row[0] if row else None
        _NAME_VERSION_READ[alias] = (time.monotonic(), version)
        if version != cached[1]:
            _NAME_STATS.pop((alias, _NAME_INDEX), None)  # erased_statistics_refresh
            if _NAME_SAMPLE.get(alias) is cached:
                _NAME_SAMPLE.pop(alias, None)


# The name words' table (desk/0004), whose statistics hold words of names as well.
_NAME_WORD_TABLE = "desk_reporter_name_word"


def erased_statistics_refresh(tables: list[str]) -> None:
    """After an erasure has committed (PostgreSQL): gather the statistics of the `tables` it
    rewrote (complaints/retention.py says which) and of the name words again, so that pg_stats
    no longer holds the erased values (a name stayed among the name index's most common words
    and in the name column's histogram until autovacuum's next ANALYZE, which 10 % of the table
    must change for; every process's `_pg_lexemes` re-read it from there), then move the names'
    version: a process that drops its sample on the erasure's version may have re-read the old
    statistics in the meantime, and drops them on this one (with its sample). ANALYZE reads a
    sample of about 30,000 rows per table, whatever their number (docs/benchmarks.md). A
    failure is logged, not raised: the erasure has committed (an error here was a 500 for it,
    or a failed retention task after its work was done), and autovacuum's next ANALYZE still
    comes."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(t) for t in [*tables, _NAME_WORD_TABLE])}")
            cursor.execute("UPDATE desk_reporter_name_version SET version = version + 1")
    except DatabaseError:
        logger.exception("search: the statistics could not be gathered after an erasure")


def _name_sample_refresh(alias: str) -> None:
    try:
        name_sample_load(alias)
    finally:
        connections[alias].close()  # this thread's own connection


def _thread_once(threads: dict[str, threading.Thread], alias: str,
                 target: Callable[[str], None], name: str) -> threading.Thread:
    """`threads[alias]`, a daemon thread running `target(alias)`, started unless one is
    alive (the caller holds _NAME_SAMPLE_LOCK)."""
    running = threads.get(alias)
    if running is None or not running.is_alive():
        running = threads[alias] = threading.Thread(target=target, args=(alias,), name=name,
                                                    daemon=True)
        running.start()
    return running


def _name_sample_start(alias: str) -> threading.Thread:
    """The background read of the sample for `alias`, started unless one is under way."""
    with _NAME_SAMPLE_LOCK:
        return _thread_once(_NAME_SAMPLE_THREADS, alias, _name_sample_refresh,
                            "aduan-name-sample")


def _name_version_changed(alias: str, version: int | None) -> bool:
    now = time.monotonic()
    seen = _NAME_VERSION_READ.get(alias)
    if seen is None or now - seen[0] >= NAME_VERSION_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(_NAME_VERSION_SQL)
            row = cursor.fetchone()
        seen = _NAME_VERSION_READ[alias] = (now, row[0] if row else None)
    return seen[1] != version


def _pg_name_sample() -> tuple[int, list[str], dict[str, array[int]]] | None:
    """The process's sample of names (`NAME_SAMPLE_ROWS`): the sampled reporters' number, their
    names' distinct words in order, and per word the sampled reporters (by position) whose name
    has it; None while none is read. Never reads it here: a missing, old or superseded sample
    starts the background read; an old one serves meanwhile, a superseded one (a name erased or
    corrected since) is dropped at once."""
    alias = connection.alias
    cached = _NAME_SAMPLE.get(alias)
    if cached is None:
        _name_sample_start(alias)
        return None
    if _name_version_changed(alias, cached[1]):
        _NAME_SAMPLE.pop(alias, None)
        _NAME_STATS.pop((alias, _NAME_INDEX), None)  # erased_statistics_refresh
        _name_sample_start(alias)
        return None
    if time.monotonic() - cached[0] > NAME_STATS_SECONDS:
        _name_sample_start(alias)
    if cached[2] < 0:
        return None
    return cached[2], cached[3], cached[4]


def name_sample_prefetch() -> None:
    """Have this process's sample of names ready before the complaint team searches (called by
    the desk's inbox): starts its background read if it is missing or old. Issues no statement
    (the inbox's page keeps its count): the version is checked by the search that uses the
    sample and by the watcher."""
    if connection.vendor != "postgresql":
        return
    cached = _NAME_SAMPLE.get(connection.alias)
    if cached is None or time.monotonic() - cached[0] > NAME_STATS_SECONDS:
        _name_sample_start(connection.alias)


def _pg_name_sample_share(terms: list[str]) -> float | None:
    """The share of the sampled reporters whose name has, for each term, a word beginning with
    it (`_pg_name_share`'s question for a name of several words, answered on the names
    themselves); None while the process has no sample. A few microseconds to a millisecond per
    search."""
    sample = _pg_name_sample()
    if sample is None:
        return None
    count, lexemes, postings = sample
    found: set[int] | None = None
    for term in terms:
        holders: set[int] = set()
        i = bisect.bisect_left(lexemes, term)
        while i < len(lexemes) and lexemes[i].startswith(term):
            holders.update(postings[lexemes[i]])
            i += 1
        found = holders if found is None else found & holders
        if not found:
            return 0.0
    return len(found or ()) / max(count, 1)


def _pg_choose(terms: list[str], cases: float, reporters: float, texts: list[float],
               names: list[float], *, by_name: bool,
               named_all: float | None) -> tuple[bool, bool]:
    """`_pg_plan`'s choice from the estimates: the office's cases, the instance's reporters,
    per term its text matches in the office (`texts`) and, by name, the planner's count of its
    reporters (`names`), and the reporters whose name has every term from the name index's
    statistics (`named_all`, None without them: then the planner's rarest term counts, and the
    name is always hashed, as before those statistics were read).

    Walking, the name is tested on a hash of every matching reporter of the instance, or on
    each walked row's reporter by its key, whichever reads fewer rows: the walk reads about
    50 * cases / matches rows."""
    cases, reporters = max(cases, 1.0), max(reporters, 1.0)
    if named_all is None:
        # A matching reporter brings the office's share of their cases.
        matches = min(t + (n * cases / reporters if by_name else 0.0)
                      for t, n in zip(texts, names, strict=True))
    else:
        matches = min(texts) + named_all * cases / reporters
    factor = PG_WALK_FACTOR_PREFILTERED if _pg_prefilter(terms)[1] else PG_WALK_FACTOR
    common = matches >= math.sqrt(factor * cases) or matches * PG_WALK_DENSITY >= cases
    if not by_name or named_all is None:
        return common, False
    return common, named_all > 50 * cases / max(matches, 1.0)


def _sqlite_is_common(query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({_SQLITE_IDS} LIMIT %s)",  # noqa: S608
                       [query, RARE_LIMIT + 1])
        return bool(cursor.fetchone()[0] > RARE_LIMIT)


def _pg_prefilter(terms: list[str]) -> tuple[str, list[str]]:
    """A cheap necessary condition for the text match, tested before the tsvector is built
    while walking: a plain ASCII word is one token for the parser, so a lexeme that starts
    with it is a lower-cased piece of the text that contains it."""
    plain = [t for t in terms if _PLAIN_TERM.match(t)]
    if not plain:
        return "", []
    return ("".join(f"strpos({_PG_ROW_LOWER}, %s) > 0 AND " for _ in plain), plain)


def _pg_matches(terms: list[str], query: str, *, common: bool, by_name: bool,
                office_id: int | None, name_per_row: bool = False) -> RawSQL:
    if common:
        # Evaluated row by row while walking the inbox index newest-first.
        pre_sql, pre_params = _pg_prefilter(terms)
        text = f"({pre_sql}{_PG_ROW_TEXT} @@ {_PG_QUERY})"
        params: list[object] = [*pre_params, query]
        if by_name and name_per_row:
            # The row's reporter, read by its key when the text did not match (OR stops at
            # the first true operand).
            text = f"({text} OR {_PG_ROW_NAME})"
            params.append(query)
        elif by_name:
            # The matching reporters are read once (a hashed subplan), then probed per row.
            names_sql, names_params = _pg_name_reporters(terms)
            text = f"({text} OR complaints_complaint.reporter_id IN ({names_sql}))"
            params += names_params
        return RawSQL(text, params, output_field=BooleanField())  # noqa: S611 - constants only
    # The matches of the office from the indexes, then sorted.
    office_sql, office_params = _pg_office(office_id)
    sql = f"SELECT id FROM complaints_complaint WHERE {office_sql}{_PG_TEXT} @@ {_PG_QUERY}"  # noqa: S608
    if not by_name:
        return RawSQL(f"complaints_complaint.id IN ({sql})",  # noqa: S611 - constants only
                      [*office_params, query], output_field=BooleanField())
    # By name: the ids of the text matches and of the matching reporters, each collected once
    # into an array (two InitPlans), then one bitmap of the cases by reporter and by id
    # (a BitmapOr): each matching case is read once, then sorted. `id IN (text UNION cases of
    # those reporters)` read every case of a name twice (by reporter, then by key after the
    # UNION's de-duplication): 'rahmat hidayat' at 1M, 26,903 -> 14,203 buffers
    # (docs/benchmarks.md, "The 1M desk, session 9"). Arrays, not the text condition itself
    # on the listed row: the planner cannot size `x = ANY(array of a subquery)` and takes each
    # for about ten rows, so it does not walk the inbox index for this plan (tried with the
    # text condition: its floor estimate for a word it has no statistics for, 'zzzz', made it
    # walk every case of the office, 29 s).
    names_sql, names_params = _pg_name_reporters(terms)
    return RawSQL(  # noqa: S611 - constants only
        f"(complaints_complaint.reporter_id = ANY(ARRAY({names_sql})) "
        f"OR complaints_complaint.id = ANY(ARRAY({sql})))",
        [*names_params, *office_params, query], output_field=BooleanField())


def _pg_name_reporters(terms: list[str]) -> tuple[str, list[str]]:
    """The reporters whose name has a word beginning with each term, from the name index.

    A plain term (letters: the parser's lexeme is the term itself) is expanded to the exact name
    words that begin with it, looked up in desk_reporter_name_word in the same statement: GIN
    ANDs exact words by skipping through its posting trees, where a word's beginning first
    collects every reporter of every matching word into a bitmap ('rahmat hidayat' at
    1,000,000 reporters: two bitmaps of about 48,000 reporters each). The matches are the same,
    as the table holds every word of every name. Other terms keep their beginnings, parsed by
    to_tsquery as before."""
    plain = [t for t in terms if _PLAIN_TERM.match(t)]
    if not plain:
        return _PG_NAME_REPORTERS, [_fts_query(terms)]
    parts = [_PG_NAME_WORDS] * len(plain)
    params = [p for t in plain for p in (f"{t}:*", f"{t}%")]
    rest = [t for t in terms if not _PLAIN_TERM.match(t)]
    if rest:
        parts.append(_PG_QUERY)
        params.append(_fts_query(rest))
    return (f"SELECT r.id FROM complaints_reporter r WHERE {_PG_NAME} @@ "  # noqa: S608
            f"({' && '.join(parts)})", params)


def _sqlite_matches(query: str, *, common: bool) -> RawSQL:
    # The match set is built once from FTS5. For a common word the unary plus keeps SQLite
    # from driving the query by id, so it walks the inbox index newest-first and probes the
    # set; for a rare word the ids drive and the few rows are sorted.
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
    case. `qs` already carries the viewer's office and unit scoping, so search never widens
    what a user may see. Costs one cheap estimate query plus the page query.
    """
    text = (text or "").strip()
    if _REGISTER_NUMBER.match(text):
        return qs.filter(register_number=text)
    terms = search_terms(text)
    if not terms:
        return qs
    office_id = _pinned_office(qs)
    if not by_name:
        qs = qs.exclude(reporter__is_confidential=True)
    query = _fts_query(terms, by_name=by_name)
    if connection.vendor == "postgresql":
        common, name_per_row = (FORCE_COMMON, False) if FORCE_COMMON is not None else _pg_plan(
            terms, by_name=by_name, office_id=office_id)
        if FORCE_NAME_PER_ROW is not None:
            name_per_row = FORCE_NAME_PER_ROW
        return qs.filter(_pg_matches(terms, query, common=common, by_name=by_name,
                                     office_id=office_id, name_per_row=name_per_row))
    common = FORCE_COMMON if FORCE_COMMON is not None else _sqlite_is_common(query)
    return qs.filter(_sqlite_matches(query, common=common))
