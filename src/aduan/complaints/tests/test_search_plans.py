"""Keyword search (complaints/search.py): every plan the search may pick (index then sort, or
walk the inbox index newest-first; narrowed to the viewer's office or not) returns exactly the
rows of the plain full-text filter, for any words, office, unit scope and name rule, on SQLite
and PostgreSQL alike (issue 18: two offices on one instance)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints import search
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import make_office, register_complaint

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")

# Words that meet the tokenizers' corners: slashes, hyphens, underscores, digits glued to
# letters and exponents, a dotted capital I, prefixes of longer words.
SUBJECTS = ["Izin apotek tertunda", "Perizinan OSS/NIB gagal", "Surat-izin praktik (SIPA)",
            "Antrean KTP-el 2025", "İzin toko_obat 1e5x", "Pungutan liar di loket",
            "Apotekeria izin? apotek!", "PBG/IMB belum terbit", "Nomor 00e7vc berkas"]
DESCRIPTIONS = ["Berkas lengkap sejak Maret.", "Tidak bisa login ke sistem OSS.",
                "Sudah 3 bulan izin apotek belum diverifikasi.", "Petugas meminta uang.",
                "sipa_2025 ditolak tanpa alasan", "Jalan rusak di depan kantor."]
NAMES = ["Rahmat Hidayat", "Siti Aminah", "Dewi Lestari", "Hidayatullah Apotek", "", "Budi",
         "Rahmatullah Ma'ruf-Siti"]
VOCABULARY = ["izin", "apotek", "apot", "oss", "nib", "sipa", "ktp", "el", "2025", "hidayat",
              "siti", "lestari", "toko", "obat", "1e5x", "1e5", "x", "00e7vc", "pbg", "imb",
              "perizinan", "izi", "berkas", "loket", "budi", "aminah", "zzz", "i", "rusak",
              "rahm", "rahmat", "ma", "ruf", "ruf-siti"]


@pytest.fixture
def two_offices(office):
    other = make_office("lain", "Dinas Lain")
    offices = [office, other]
    base = dt.datetime(2025, 1, 6, 8, tzinfo=JAKARTA)
    for i in range(36):
        where = offices[i % 5 == 0]
        name = NAMES[i % len(NAMES)]
        reporter = ReporterInput(name=name, phone=f"0812999900{i:02d}", consent=True,
                                 is_confidential=i % 7 == 3) if name else None
        case = register_complaint(
            where, received=base + dt.timedelta(hours=i * 5), channel_code="website",
            subject=SUBJECTS[i % len(SUBJECTS)],
            description=DESCRIPTIONS[(i * 5) % len(DESCRIPTIONS)], reporter=reporter)
        if i % 3 == 1:  # a technical unit's case (what unit staff see)
            unit = where.units.filter(is_complaint_team=False).order_by("order", "pk").first()
            Complaint.objects.filter(pk=case.pk).update(unit=unit)
    return offices


def _plain_filter(qs, terms: list[str], *, by_name: bool):
    """The plain full-text reading, with no plan choice and no narrowing by office."""
    if not by_name:
        qs = qs.exclude(reporter__is_confidential=True)
    query = search._fts_query(terms, by_name=by_name)
    if connection.vendor == "postgresql":
        sql = f"{search._PG_ROW_TEXT} @@ to_tsquery('simple', %s)"
        params = [query]
        if by_name:
            sql = (f"({sql} OR EXISTS (SELECT 1 FROM complaints_reporter r WHERE "
                   "r.id = complaints_complaint.reporter_id AND "
                   "to_tsvector('simple', r.name) @@ to_tsquery('simple', %s)))")
            params.append(query)
    else:
        sql = f"complaints_complaint.id IN ({search._SQLITE_IDS})"
        params = [query]
    return qs.filter(RawSQL(sql, params, output_field=BooleanField()))


def _ordered_ids(qs) -> list[int]:
    return list(qs.order_by("-received_at", "-id").values_list("pk", flat=True))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(VOCABULARY) | st.text("abeiknoprst", min_size=1,
                                                              max_size=4),
                      min_size=1, max_size=3),
       office_index=st.sampled_from([0, 1, None]), unit_scoped=st.booleans(),
       by_name=st.booleans(), common=st.sampled_from([None, True, False]),
       name_per_row=st.sampled_from([None, True, False]))
def test_every_plan_returns_the_rows_of_the_plain_filter(two_offices, monkeypatch, words,
                                                         office_index, unit_scoped, by_name,
                                                         common, name_per_row):
    monkeypatch.setattr(search, "FORCE_COMMON", common)
    monkeypatch.setattr(search, "FORCE_NAME_PER_ROW", name_per_row)
    qs = Complaint.objects.all()
    if office_index is not None:
        office = two_offices[office_index]
        qs = qs.filter(office_id=office.pk)
        if unit_scoped:
            unit = office.units.filter(is_complaint_team=False).order_by("order", "pk").first()
            qs = qs.filter(unit_id=unit.pk)
    text = " ".join(words)
    got = _ordered_ids(search.complaints_matching(qs, text, by_name=by_name))
    want = _ordered_ids(_plain_filter(qs, search.search_terms(text), by_name=by_name))
    assert got == want


def test_the_plain_filter_finds_what_the_words_say(two_offices):
    """The reference itself can fail: it finds a word in the text, a name, a slashed word."""
    qs = Complaint.objects.all()
    for words, by_name, expect in [(["apotek"], True, True), (["hidayat"], True, True),
                                   (["hidayat"], False, False), (["nib"], False, True),
                                   (["zzz"], True, False)]:
        assert _plain_filter(qs, words, by_name=by_name).exists() is expect, words


def test_the_office_is_read_only_from_a_pinning_condition(two_offices):
    office, other = two_offices
    assert search._pinned_office(Complaint.objects.filter(office_id=office.pk)) == office.pk
    assert search._pinned_office(
        Complaint.objects.filter(office=other).filter(unit_id=1)) == other.pk
    assert search._pinned_office(Complaint.objects.all()) is None
    assert search._pinned_office(Complaint.objects.exclude(office_id=office.pk)) is None
    either = Complaint.objects.filter(office_id=office.pk) | Complaint.objects.filter(
        office_id=other.pk)
    assert search._pinned_office(either) is None
    assert search.complaints_matching(either, "apotek").count() == _plain_filter(
        either, ["apotek"], by_name=True).count() > 0


@pytest.mark.parametrize(("terms", "texts", "named_all", "expect"), [
    # At 1,000,000 cases (and reporters): a name one reporter in twenty bears, in no text.
    (["hidayat"], [0.0], 48_500.0, (True, True)),
    # A common word of the texts that no name contains: the (empty) hash of names stays.
    (["apotek"], [77_000.0], 0.0, (True, False)),
    # A name of a few hundred reporters: the rare plan, from the indexes.
    (["aminah"], [0.0], 300.0, (False, False)),
    # A word nobody wrote nor bears: the rare plan (it walked every case: 2.6-3.7 s at 1M).
    (["zzzz"], [0.0], 0.0, (False, False)),
    (["siti", "aminah"], [0.0, 0.0], 0.0, (False, False)),
    # Two words a name must both contain: no reporter's name has "izin", the hash is empty.
    (["izin", "hidayat"], [400_000.0, 0.0], 0.0, (False, False)),
    (["izin", "apotek"], [400_000.0, 77_000.0], 0.0, (True, False)),
    # A full name: each part is common, the pair is not (1,600 reporters): the rare plan.
    (["rahmat", "hidayat"], [0.0, 0.0], 1_600.0, (False, False)),
])
def test_the_plan_follows_the_matches_the_statistics_count(terms, texts, named_all, expect):
    """The walk for 'hidayat' at 1M cases first hashed the 48,734 reporters of that name
    (71.5 ms on PostgreSQL, session 8): it now reads the walked rows' reporters by key when
    the walk reads fewer rows than there are reporters to hash. A word that matches nothing
    takes the index plan."""
    planner_names = [20_000.0] * len(terms)  # the planner's flat guess for any name word
    assert search._pg_choose(terms, 1_000_000.0, 1_000_000.0, texts, planner_names,
                             by_name=True, named_all=named_all) == expect
    assert search._pg_choose(terms, 1_000_000.0, 1_000_000.0, texts, planner_names,
                             by_name=False, named_all=None) == (min(texts) > 0, False)


def test_without_name_statistics_the_planners_estimates_choose_as_before():
    assert search._pg_choose(["hidayat"], 1_000_000.0, 1_000_000.0, [4_199.0], [20_000.0],
                             by_name=True, named_all=None) == (True, False)
    assert search._pg_choose(["sipa"], 1_000_000.0, 1_000_000.0, [9_298.0], [0.0],
                             by_name=True, named_all=None) == (True, False)
    assert search._pg_choose(["sipa"], 1_000_000.0, 1_000_000.0, [300.0], [0.0],
                             by_name=True, named_all=None) == (False, False)


def test_the_share_of_reporters_bearing_a_name_comes_from_the_name_statistics(monkeypatch):
    """The planner estimates every word's beginning at 2 % of the reporters ('hidayat': 48,734
    of 1,000,000; 'apotek': none); the name index's most common words tell them apart."""
    import time

    monkeypatch.setitem(search._NAME_STATS, (connection.alias, search._NAME_INDEX), (
        time.monotonic(), {"hidayat": 0.049, "rahmat": 0.032, "siti": 0.033, "sri": 0.03}))
    assert search._pg_name_share(["hidayat"]) == pytest.approx(0.049)
    assert search._pg_name_share(["s"]) == pytest.approx(0.063)
    assert search._pg_name_share(["rahmat", "hidayat"]) == pytest.approx(0.032 * 0.049)
    assert search._pg_name_share(["apotek"]) == 0.0
    assert search._pg_name_share(["hidayat", "apotek"]) == 0.0


def test_a_word_among_no_common_text_word_counts_as_none(monkeypatch):
    """The planner's floor for a word it has no statistics of (4,199 cases of 1,000,000, for
    'zzzz' as for 'rahmat') is not taken; without any statistics, its estimates stand."""
    import time

    monkeypatch.setitem(search._NAME_STATS, (connection.alias, search._TEXT_INDEX), (
        time.monotonic(), {"apotek": 0.077, "oss": 0.078, "sipa": 0.0093}))
    assert search._pg_text_estimates(["apot", "zzzz", "sipa"], [76_786.0, 4_199.0, 9_298.0]) == [
        76_786.0, 0.0, 9_298.0]
    monkeypatch.setitem(search._NAME_STATS, (connection.alias, search._TEXT_INDEX), (
        time.monotonic(), {}))
    assert search._pg_text_estimates(["zzzz"], [4_199.0]) == [4_199.0]


@pytest.mark.parametrize("name_per_row", [True, False])
def test_the_walk_reads_each_rows_reporter_by_its_key(two_offices, monkeypatch, name_per_row):
    """The plan PostgreSQL makes of the walk's name test: per row, the reporter by its primary
    key (never a hash of every matching reporter), or the hash when asked for."""
    if connection.vendor != "postgresql":
        pytest.skip("the name test of the walk is PostgreSQL's")
    monkeypatch.setattr(search, "FORCE_COMMON", True)
    monkeypatch.setattr(search, "FORCE_NAME_PER_ROW", name_per_row)
    office = two_offices[0]
    qs = search.complaints_matching(Complaint.objects.filter(office_id=office.pk), "hidayat")
    sql, params = qs.order_by("-received_at", "-id")[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # small tables: as at scale
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert ("hashed SubPlan" in plan) is not name_per_row, plan
    assert ("complaints_reporter_pkey" in plan.split("SubPlan", 1)[-1]) is name_per_row, plan


def test_the_index_plan_reads_each_matching_case_once(two_offices, monkeypatch):
    """The complaint team's index plan on PostgreSQL: the ids of the text matches and the
    matching reporters each collected once (InitPlans), and the list's cases read once by them
    (at 1M a BitmapOr of the cases by reporter and by key, bench/search_statements.py), rather
    than the text's cases UNION the named reporters' cases, de-duplicated, then read again."""
    if connection.vendor != "postgresql":
        pytest.skip("the index plan's shape is PostgreSQL's")
    monkeypatch.setattr(search, "FORCE_COMMON", False)
    office = two_offices[0]
    qs = search.complaints_matching(Complaint.objects.filter(office_id=office.pk),
                                    "rahmat hidayat")
    sql, params = qs.order_by("-received_at", "-id")[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # small tables: as at scale
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Append" not in plan and "HashAggregate" not in plan and "Unique" not in plan, plan
    # Two more for the name's words (each term's beginning expanded to exact words).
    assert "SubPlan" not in plan and plan.count("InitPlan") == 4, plan
    # Once for the text's ids, once for the list itself.
    assert plan.count(" on complaints_complaint ") == 2, plan
    assert ({c.pk for c in qs} == {c.pk for c in _plain_filter(
        Complaint.objects.filter(office_id=office.pk), ["rahmat", "hidayat"], by_name=True)}
        != set())
