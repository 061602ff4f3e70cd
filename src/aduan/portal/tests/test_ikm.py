"""The satisfaction index (IKM, PermenPANRB 14/2017): the arithmetic against an example worked
by hand, the grade boundaries, the weight setting, the selector's period and office, ratings
without elements, and the IKM in the public statistics (page, JSON, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from aduan.complaints.services import ReporterInput, complaint_register
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import (
    ELEMENT_CODES,
    element_weight,
    grade_for,
    ikm_from_totals,
)
from aduan.ikm.selectors import service_rating_ikm
from aduan.offices.models import Office
from aduan.portal.services import web_channel_for
from aduan.reports.selectors import Period

JAKARTA = ZoneInfo("Asia/Jakarta")

# Four respondents, worked by hand:
#            U1 U2 U3 U4 U5 U6 U7 U8 U9   sum
# R1          4  4  3  4  3  4  4  3  3    32
# R2          3  3  3  4  3  3  4  3  2    28
# R3          3  4  2  4  3  3  4  2  3    28
# R4          4  3  3  4  4  4  4  3  3    32
# total      14 14 11 16 13 14 16 11 11   120
# NRR       3.5 3.5 2.75 4 3.25 3.5 4 2.75 2.75   (sum of NRR = 120 / 4 = 30)
# weight 0.11: 30 x 0.11 = 3.30; x 25 = 82.50 -> B (Baik)
# weight 1/9:  30 / 9 = 3.333...; x 25 = 83.333... -> 83.33 -> B
RESPONDENTS = [
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 3, 2],
    [3, 4, 2, 4, 3, 3, 4, 2, 3],
    [4, 3, 3, 4, 4, 4, 4, 3, 3],
]
TOTALS = dict(zip(ELEMENT_CODES, [14, 14, 11, 16, 13, 14, 16, 11, 11], strict=True))


def test_the_hand_worked_example_with_the_regulations_weight():
    result = ikm_from_totals(respondents=4, totals=TOTALS, weight=Fraction("0.11"))
    assert result.ikm == Decimal("82.50")
    assert (result.grade.letter, str(result.grade.label)) == ("B", "Baik")
    by_code = {r.element.label: r for r in result.elements}
    assert [r.nrr for r in result.elements] == [Decimal(x) for x in (
        "3.50", "3.50", "2.75", "4.00", "3.25", "3.50", "4.00", "2.75", "2.75")]
    # NRR x 0.11: 0.385, 0.3025 -> 0.303 (halves up), 0.44.
    assert by_code["U1"].nrr_weighted == Decimal("0.385")
    assert by_code["U3"].nrr_weighted == Decimal("0.303")
    assert by_code["U4"].nrr_weighted == Decimal("0.440")
    # Each element's own converted value (NRR x 25) and grade.
    assert (by_code["U1"].converted, by_code["U1"].grade.letter) == (Decimal("87.50"), "B")
    assert (by_code["U3"].converted, by_code["U3"].grade.letter) == (Decimal("68.75"), "C")
    assert (by_code["U4"].converted, by_code["U4"].grade.letter) == (Decimal("100.00"), "A")
    assert (by_code["U5"].converted, by_code["U5"].grade.letter) == (Decimal("81.25"), "B")


def test_the_hand_worked_example_with_the_exact_weight():
    result = ikm_from_totals(respondents=4, totals=TOTALS, weight=Fraction(1, 9))
    assert result.ikm == Decimal("83.33")
    assert result.grade.letter == "B"
    assert result.weight_label == "1/9"


def test_all_fours_give_99_with_0_11_and_100_with_one_ninth():
    best = dict.fromkeys(ELEMENT_CODES, 40)
    assert ikm_from_totals(respondents=10, totals=best, weight=Fraction("0.11")).ikm \
        == Decimal("99.00")
    assert ikm_from_totals(respondents=10, totals=best, weight=Fraction(1, 9)).ikm \
        == Decimal("100.00")
    worst = dict.fromkeys(ELEMENT_CODES, 10)
    lowest = ikm_from_totals(respondents=10, totals=worst, weight=Fraction("0.11"))
    assert (lowest.ikm, lowest.grade.letter) == (Decimal("24.75"), "D")


@pytest.mark.parametrize(("value", "letter", "label"), [
    ("100.00", "A", "Sangat baik"), ("88.31", "A", "Sangat baik"),
    ("88.30", "B", "Baik"), ("76.61", "B", "Baik"),
    ("76.60", "C", "Kurang baik"), ("65.00", "C", "Kurang baik"),
    ("64.99", "D", "Tidak baik"), ("25.00", "D", "Tidak baik"), ("24.75", "D", "Tidak baik"),
])
def test_grade_boundaries(value, letter, label):
    grade = grade_for(Decimal(value))
    assert (grade.letter, str(grade.label)) == (letter, label)


@pytest.mark.parametrize(("total", "ikm", "letter"), [
    (17661, "88.31", "A"),   # exactly 88.305: rounded once, halves up, then graded
    (17660, "88.30", "B"),   # 88.30 exactly
])
def test_the_index_is_rounded_to_two_decimals_before_it_is_graded(total, ikm, letter):
    result = ikm_from_totals(respondents=5000, totals=dict.fromkeys(ELEMENT_CODES, total),
                             weight=Fraction(1, 9))
    assert (result.ikm, result.grade.letter) == (Decimal(ikm), letter)


def test_no_respondents_no_index():
    result = ikm_from_totals(respondents=0, totals=dict.fromkeys(ELEMENT_CODES, 0),
                             weight=Fraction("0.11"), without_elements=2)
    assert (result.ikm, result.grade, result.elements) == (None, None, ())
    assert result.as_dict()["ikm"] is None
    assert result.as_dict()["ratings_without_elements"] == 2


@pytest.mark.parametrize(("raw", "weight"), [("0.11", Fraction(11, 100)),
                                             ("1/9", Fraction(1, 9))])
def test_the_weight_is_a_setting(settings, raw, weight):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = raw
    assert element_weight() == weight


@pytest.mark.parametrize("raw", ["sebelas persen", "0", "0.2", "1/0"])
def test_a_wrong_weight_fails_loudly(settings, raw):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = raw
    with pytest.raises(ImproperlyConfigured):
        element_weight()


# --- The selector over stored ratings ------------------------------------------------------


def _rate(office: Office, scores: list[int] | None, at: dt.datetime, score: int = 3) -> None:
    """A complaint of `office` rated at `at`; `scores` None: an overall score only (old form)."""
    complaint = complaint_register(
        office=office, channel=web_channel_for(office), subject="Pelayanan SIP",
        description="Tanya", reporter=ReporterInput(name="Warga", phone="081234567890"))
    rating = ServiceRating.objects.create(
        complaint=complaint, score=score,
        elements={} if scores is None else dict(zip(ELEMENT_CODES, scores, strict=True)))
    ServiceRating.objects.filter(pk=rating.pk).update(created_at=at)


@pytest.fixture
def rated(portal_office):
    for scores in RESPONDENTS:
        _rate(portal_office, scores, dt.datetime(2025, 3, 10, 9, 0, tzinfo=JAKARTA))
    _rate(portal_office, None, dt.datetime(2025, 2, 1, 9, 0, tzinfo=JAKARTA), score=1)
    return portal_office


@pytest.mark.django_db
def test_the_selector_computes_the_example_from_stored_ratings(rated, settings,
                                                              django_assert_num_queries):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = "0.11"
    # One statement over the ratings and the public survey's answers (`_period_sums`), one for
    # the period's population (ikm/selectors.py).
    with django_assert_num_queries(2):
        result = service_rating_ikm(rated, Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)))
    assert (result.respondents, result.without_elements) == (4, 1)
    assert [r.total for r in result.elements] == list(TOTALS.values())
    assert (result.ikm, result.grade.letter) == (Decimal("82.50"), "B")


@pytest.mark.django_db
def test_the_period_is_the_day_of_rating_in_office_time(rated):
    # 31 Dec 2025 23:30 in Jakarta is 16:30 UTC: the 2025 survey; 1 Jan 00:30 is 2026's.
    _rate(rated, [1] * 9, dt.datetime(2025, 12, 31, 23, 30, tzinfo=JAKARTA))
    _rate(rated, [2] * 9, dt.datetime(2026, 1, 1, 0, 30, tzinfo=JAKARTA))
    year_2025 = service_rating_ikm(rated, Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    year_2026 = service_rating_ikm(rated, Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert year_2025.respondents == 5
    assert (year_2026.respondents, year_2026.elements[0].nrr) == (1, Decimal("2.00"))
    assert service_rating_ikm(rated, None).respondents == 6
    assert service_rating_ikm(
        rated, Period(dt.date(2025, 7, 1), dt.date(2025, 12, 30))).respondents == 0


@pytest.mark.django_db
def test_other_offices_ratings_do_not_count(rated):
    other = Office.objects.create(code="dinas-lain", name="Dinas Lain")
    assert service_rating_ikm(other, None).respondents == 0


# --- Open statistics -------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_statistics_show_the_ikm_without_personal_data(client, rated, settings):
    settings.ADUAN_IKM_ELEMENT_WEIGHT = "0.11"
    html = client.get(reverse("portal:statistics"), {"tahun": "semua"}).content.decode()
    assert 'id="ikm-value">82,50<' in html
    assert "Mutu B (Baik)" in html
    assert "dari 4 responden" in html
    assert "1 penilaian lama hanya berisi nilai keseluruhan" in html
    assert "bobot 0,11" in html

    data = client.get(reverse("portal:statistics-json"), {"tahun": "semua"}).json()
    ikm = data["ikm"]
    assert (ikm["ikm"], ikm["grade"], ikm["grade_label"]) == (82.5, "B", "Baik")
    assert (ikm["respondents"], ikm["ratings_without_elements"]) == (4, 1)
    assert ikm["element_weight"] == "0.11"
    assert ikm["elements"][0] == {"code": "U1", "label": "Persyaratan", "nrr": 3.5,
                                  "nrr_weighted": 0.385, "converted": 87.5, "grade": "B"}
    assert [e["code"] for e in ikm["elements"]] == [f"U{i}" for i in range(1, 10)]

    rows = list(csv.reader(io.StringIO(
        client.get(reverse("portal:statistics-csv"), {"tahun": "semua"}).content.decode())))
    assert ["ikm", "ikm", "Indeks Kepuasan Masyarakat", "82.50"] in rows
    assert ["ikm", "grade", "Mutu pelayanan", "B"] in rows
    assert ["ikm", "respondents", "Jumlah responden IKM", "4"] in rows
    assert ["ikm_element", "U3", "Waktu penyelesaian", "2.75"] in rows
    for body in (html, str(data), str(rows)):
        assert "Warga" not in body and "81234567890" not in body
    # A year is the year the ratings were given (2025 here), whatever the complaints' year.
    assert client.get(reverse("portal:statistics-json"),
                      {"tahun": "2025"}).json()["ikm"]["respondents"] == 4


@pytest.mark.django_db
def test_public_statistics_without_ratings_say_so(client, portal_office):
    html = client.get(reverse("portal:statistics")).content.decode()
    assert 'id="ikm-empty"' in html
    data = client.get(reverse("portal:statistics-json")).json()
    assert data["ikm"]["respondents"] == 0 and data["ikm"]["ikm"] is None
