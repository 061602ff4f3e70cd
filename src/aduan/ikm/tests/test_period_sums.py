"""The dashboard's IKM sums (one statement of SQL, `_period_sums`) and the regency pages' (one
grouped statement, `service_rating_ikm_by_office`) equal the ORM aggregates (`_sums`) on ratings
with and without the nine elements, survey answers, another office's answers and answers on both
edges of the period."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q

from aduan.complaints.models import Complaint
from aduan.complaints.tests.factories import register_complaint
from aduan.ikm.models import ServiceRating, SurveyPopulation, SurveyResponse
from aduan.ikm.scoring import ELEMENT_CODES
from aduan.ikm.selectors import (
    _period_sums,
    _sums,
    _within,
    service_rating_ikm,
    service_rating_ikm_by_office,
)
from aduan.offices.models import Office
from aduan.reports.selectors import Period

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
# The first and the last instant of the period in office time, and one on each side.
EDGES = [
    dt.datetime(2025, 1, 1, 0, 0, tzinfo=JAKARTA),
    dt.datetime(2025, 6, 30, 23, 59, 59, tzinfo=JAKARTA),
    dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=JAKARTA),
    dt.datetime(2025, 7, 1, 0, 0, tzinfo=JAKARTA),
    dt.datetime(2025, 3, 3, 9, tzinfo=JAKARTA),
]


def _answer(rng: random.Random) -> dict[str, int]:
    return {code: rng.randint(1, 4) for code in ELEMENT_CODES}


def _orm_sums(office, period):  # type: ignore[no-untyped-def]
    return (
        _sums(
            _within(ServiceRating.objects.filter(complaint__office=office), period),
            Q(elements__has_keys=list(ELEMENT_CODES)),
        ),
        _sums(_within(SurveyResponse.objects.filter(office=office), period), None),
    )


def test_the_one_statement_equals_the_orm_aggregates(office):
    assert (
        service_rating_ikm(office, PERIOD)
        == service_rating_ikm_by_office([office], PERIOD)[office.pk]
    )
    rng = random.Random(3)
    for n, at in enumerate(EDGES * 3):
        case = register_complaint(office, received=EDGES[-1])
        rating = ServiceRating.objects.create(
            complaint=case, score=rng.randint(1, 4), elements=_answer(rng) if n % 4 else {}
        )
        survey = SurveyResponse.objects.create(
            office=office,
            elements=_answer(rng),
            score=rng.randint(1, 4),
            age_band="30-39",
            sex="f",
            education="sma",
            occupation="private",
            nonce=f"n{n}",
        )
        ServiceRating.objects.filter(pk=rating.pk).update(created_at=at)
        SurveyResponse.objects.filter(pk=survey.pk).update(created_at=at)
    SurveyPopulation.objects.create(office=office, year=2025, half=1, population=40)
    assert Complaint.objects.filter(office=office).count() == len(EDGES) * 3
    for period in (
        PERIOD,
        Period(dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
        Period(dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        None,
    ):
        ratings, survey = _orm_sums(office, period)
        survey["without_elements"] = 0
        assert _period_sums(office.pk, period) == (ratings, survey), period
        fast = service_rating_ikm(office, period)
        assert fast == service_rating_ikm_by_office([office], period)[office.pk], period
    result = service_rating_ikm(office, PERIOD)
    # In the period: three of the five instants, three times each (n = 0, 1, 4, 5, 6, 9, 10,
    # 11, 14); the ratings n = 0 and 4 are old ones without the elements.
    assert (result.respondents, result.survey_respondents, result.without_elements) == (7 + 9, 9, 2)
    assert result.population == 40


def test_the_grouped_statement_keeps_each_office_apart(office):
    """Two offices with answers and one without: each office's line of the grouped statement
    is its own IKM (`service_rating_ikm`), the office without answers has none."""
    other = Office.objects.create(code="lain", name="Instansi Lain")
    idle = Office.objects.create(code="sepi", name="Instansi Sepi")
    rng = random.Random(5)
    for n, (where, at) in enumerate(
        [
            (office, EDGES[0]),
            (office, EDGES[4]),
            (other, EDGES[1]),
            (other, EDGES[2]),
            (office, EDGES[3]),
        ]
    ):
        if where == office:
            case = register_complaint(office, received=EDGES[-1])
            rating = ServiceRating.objects.create(
                complaint=case, score=rng.randint(1, 4), elements=_answer(rng) if n else {}
            )
            ServiceRating.objects.filter(pk=rating.pk).update(created_at=at)
        survey = SurveyResponse.objects.create(
            office=where,
            elements=_answer(rng),
            score=rng.randint(1, 4),
            age_band="30-39",
            sex="m",
            education="sma",
            occupation="private",
            nonce=f"g{n}",
        )
        SurveyResponse.objects.filter(pk=survey.pk).update(created_at=at)
    for period in (PERIOD, None):
        grouped = service_rating_ikm_by_office([office, other, idle], period)
        assert set(grouped) == {office.pk, other.pk, idle.pk}
        for one in (office, other, idle):
            assert grouped[one.pk] == service_rating_ikm(one, period), (one.code, period)
        assert grouped[idle.pk].respondents == 0
        assert grouped[other.pk].respondents == (1 if period else 2)
    assert service_rating_ikm_by_office([], PERIOD) == {}
