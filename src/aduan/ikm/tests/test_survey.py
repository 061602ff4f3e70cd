"""The public satisfaction survey (issue #20): open to every service user, with the respondent
profile of PermenPANRB 14/2017; counted in the index with the reporters' ratings; the index is
published with its sample size and a warning below the regulation's minimum sample for the
period's population; linked from receipts and closures; resists replays and bots."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.complaints.services import ReporterInput, complaint_register
from aduan.ikm.models import SurveyPopulation, SurveyResponse
from aduan.ikm.scoring import ELEMENT_CODES, minimum_sample
from aduan.ikm.selectors import service_rating_ikm, survey_profile
from aduan.ikm.services import Profile, survey_submit
from aduan.notifications.models import OutboxMessage
from aduan.portal import throttle
from aduan.portal.services import web_channel_for
from aduan.reports.selectors import Period

pytestmark = pytest.mark.django_db
SURVEY = reverse("portal:survey")
PROFILE = {"age_band": "30-39", "sex": "f", "education": "d4-s1", "occupation": "private"}


@pytest.fixture(autouse=True)
def _quick_forms(settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    cache.clear()


def _answers(**overrides):
    data = {"form_token": throttle.form_token(), "website": "", "comment": "Ramah.",
            **dict.fromkeys(ELEMENT_CODES, "4"), **PROFILE}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_table_of_minimum_samples():
    assert [minimum_sample(n) for n in (0, 5, 10, 12, 100, 101, 1000, 2500, 10**6)] == [
        0, 5, 10, 12, 80, 86, 278, 335, 384]


def test_any_service_user_answers_with_the_profile_and_a_replay_counts_once(client, office):
    page = client.get(SURVEY)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="ikm-question ') + html.count('class="ikm-question"') >= 13
    data = _answers()
    response = client.post(SURVEY, data)
    assert response.status_code == 200 and 'id="survey-done"' in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert (answer.age_band, answer.sex, answer.education, answer.occupation) == (
        "30-39", "f", "d4-s1", "private")
    assert answer.elements == dict.fromkeys(ELEMENT_CODES, 4) and answer.score == 4
    assert client.post(SURVEY, data).status_code == 200  # double click: the same answer
    assert SurveyResponse.objects.count() == 1


def test_missing_answers_come_back_named_in_indonesian_with_choices_kept(client, office):
    response = client.post(SURVEY, _answers(u3=None, sex=None))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Pilih jawaban untuk U3" in html and "Pilih jenis kelamin Anda." in html
    assert 'name="u1" value="4" checked' in html
    assert not SurveyResponse.objects.exists()


def test_bots_and_floods_are_refused(client, office, settings):
    assert client.post(SURVEY, _answers(website="http://spam")).status_code == 422
    assert client.post(SURVEY, _answers(form_token="forged")).status_code == 422
    settings.ADUAN_RATE_LIMITS = {"survey": (1, 3600)}
    assert client.post(SURVEY, _answers()).status_code == 200
    assert client.post(SURVEY, _answers()).status_code == 429
    assert SurveyResponse.objects.count() == 1


def test_index_counts_ratings_and_survey_answers_and_warns_below_the_minimum(client, office):
    for n in range(3):
        survey_submit(office=office, elements=dict.fromkeys(ELEMENT_CODES, 3),
                      profile=Profile(**PROFILE), nonce=f"n{n}")
    year = dt.date.today().year
    half = 1 if dt.date.today().month <= 6 else 2
    period = Period(dt.date(year, 1, 1) if half == 1 else dt.date(year, 7, 1),
                    dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31))
    result = service_rating_ikm(office, period)
    assert (result.respondents, result.survey_respondents) == (3, 3)
    assert result.population is None and not result.below_minimum
    SurveyPopulation.objects.create(office=office, year=year, half=half, population=100)
    result = service_rating_ikm(office, period)
    assert (result.population, result.minimum_sample, result.below_minimum) == (100, 80, True)

    # Published: the public statistics page and its JSON show the sample and the warning.
    SurveyPopulation.objects.create(office=office, year=year, half=3 - half, population=50)
    html = client.get(reverse("portal:statistics"), {"tahun": year}).content.decode()
    assert 'id="ikm-sample-warning"' in html and "150 penerima layanan" in html
    data = json.loads(client.get(reverse("portal:statistics-json"), {"tahun": year}).content)
    assert data["ikm"]["respondents"] == 3 and data["ikm"]["minimum_sample"] == 108
    assert data["ikm"]["sample_below_minimum"] is True
    csv_text = client.get(reverse("portal:statistics-csv"), {"tahun": year}).content.decode()
    assert "minimum_sample" in csv_text

    profile = {(r.dimension, r.code): r.count for r in survey_profile(office, period)}
    assert profile[("sex", "f")] == 3 and profile[("sex", "m")] == 0


def test_receipts_and_closures_link_the_survey(office):
    complaint_register(office=office, channel=web_channel_for(office), subject="x",
                       description="Izin belum terbit.",
                       reporter=ReporterInput(name="Rina", email="r@example.id", consent=True))
    receipt = OutboxMessage.objects.get(template_code="receipt")
    assert "/survei/" in receipt.body


fields = st.dictionaries(
    st.sampled_from([*ELEMENT_CODES, "age_band", "sex", "education", "occupation",
                     "service_type", "comment", "website"]),
    st.one_of(st.text(max_size=50), st.sampled_from(["1", "4", "5", "-1", "f", "50+", "999"])),
    max_size=14)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=fields)
def test_hostile_answers_never_break_the_page_or_store_invalid_rows(client, office, data):
    cache.clear()
    post = {k: v.replace("\x00", "") for k, v in data.items()}
    post["form_token"] = throttle.form_token()
    response = client.post(SURVEY, post)
    assert response.status_code in (200, 422)
    for answer in SurveyResponse.objects.all():
        assert set(answer.elements) == set(ELEMENT_CODES)
        assert all(v in (1, 2, 3, 4) for v in answer.elements.values())
