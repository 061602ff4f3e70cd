"""The reporter's IKM rating on the tracking page: nine elements on the 1-4 scale, each
required, kept when the form comes back, stored once per answered case with a derived overall
score; the database refuses incomplete element sets."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from aduan.complaints.models import EventKind
from aduan.core.exceptions import ValidationFailed
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import ELEMENT_CODES, overall_score
from aduan.portal.forms import RatingForm
from aduan.portal.services import complaint_rate

pytestmark = pytest.mark.django_db

RATE = reverse("portal:rate")
TRACK = reverse("portal:track")
ANSWERS = {"u1": 4, "u2": 3, "u3": 2, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 3}


def _post(code: str, **answers: object) -> dict[str, object]:
    return {"code": code, **{k: str(v) for k, v in answers.items()}}


def test_track_page_asks_the_nine_elements_with_the_regulations_answers(client, responded):
    html = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    for code in ELEMENT_CODES:
        assert html.count(f'name="{code}"') == 4
    for words in ("Persyaratan", "Sistem, mekanisme, dan prosedur", "Waktu penyelesaian",
                  "Biaya/tarif", "Produk spesifikasi jenis pelayanan", "Kompetensi pelaksana",
                  "Perilaku pelaksana", "Penanganan pengaduan, saran dan masukan",
                  "Sarana dan prasarana", "Tidak sesuai", "Sangat mudah", "Gratis",
                  "Dikelola dengan baik", "Sangat sopan dan ramah"):
        assert words in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="{RATE}#rating"' in html
    assert " checked" not in html


def test_reporter_rates_the_nine_elements_once(client, responded):
    response = client.post(RATE, {**_post(responded.tracking_code, **ANSWERS),
                                  "comment": "  Cepat dan jelas. "})
    assert response.status_code == 200
    assert "Terima kasih atas penilaian Anda." in response.content.decode()
    rating = ServiceRating.objects.get(complaint=responded)
    assert rating.elements == ANSWERS
    # 30 points over nine elements: 3.33, rounded to 3.
    assert (rating.score, rating.comment) == (3, "Cepat dan jelas.")
    event = responded.events.get(kind=EventKind.RATED)
    assert event.data == {"score": 3} and not event.is_public
    assert "Anda menilai layanan ini 3 dari 4" in response.content.decode()

    again = client.post(RATE, _post(responded.tracking_code, **dict.fromkeys(ANSWERS, 1)))
    assert "sudah dinilai" in again.content.decode()
    assert ServiceRating.objects.get(complaint=responded).elements == ANSWERS


def test_a_missing_element_is_named_in_indonesian_and_the_choices_are_kept(client, responded):
    answers = {k: v for k, v in ANSWERS.items() if k not in ("u3", "u8")}
    response = client.post(RATE, {**_post(responded.tracking_code, **answers),
                                  "comment": "Petugas ramah."})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="rating-problems"' in html
    assert "Pilih jawaban untuk U3 (Waktu penyelesaian)." in html
    assert "Pilih jawaban untuk U8 (Penanganan pengaduan, saran dan masukan)." in html
    assert '<a href="#ikm-u3">' in html
    assert re.search(r'<fieldset class="ikm-question has-error" id="ikm-u3">', html)
    assert not re.search(r'<fieldset class="ikm-question has-error" id="ikm-u1">', html)
    for code, value in answers.items():
        assert re.search(rf'name="{code}" value="{value}" required checked', html), code
    assert html.count(" checked") == len(answers)
    assert "Petugas ramah.</textarea>" in html
    assert ServiceRating.objects.count() == 0


@pytest.mark.parametrize("value", ["0", "5", "x", "3.5", ""])
def test_an_answer_outside_1_to_4_is_refused(client, responded, value):
    response = client.post(RATE, _post(responded.tracking_code, **{**ANSWERS, "u4": value}))
    assert response.status_code == 422
    html = response.content.decode()
    assert ("Jawaban untuk U4 harus 1 sampai 4." in html
            or "Pilih jawaban untuk U4 (Biaya/tarif)." in html)
    assert ServiceRating.objects.count() == 0


def test_the_old_single_score_alone_is_not_accepted(client, responded):
    response = client.post(RATE, {"code": responded.tracking_code, "score": "4"})
    assert response.status_code == 422
    assert ServiceRating.objects.count() == 0


def test_rating_is_refused_before_a_response(client, complaint):
    response = client.post(RATE, _post(complaint.tracking_code, **ANSWERS))
    assert "Layanan dapat dinilai setelah pengaduan ditanggapi." in response.content.decode()
    assert ServiceRating.objects.count() == 0


def test_rating_form_parses_the_nine_elements():
    form = RatingForm({"code": "abc", **{k: str(v) for k, v in ANSWERS.items()}})
    assert form.is_valid(), form.errors
    assert form.elements() == ANSWERS
    assert list(form.fields) == ["code", *ELEMENT_CODES, "comment"]


@pytest.mark.parametrize(("elements", "message"), [
    ({k: v for k, v in ANSWERS.items() if k != "u9"}, "belum dinilai: Sarana dan prasarana"),
    ({**ANSWERS, "u1": 0}, "Setiap unsur dinilai 1 sampai 4."),
    ({**ANSWERS, "u1": 5}, "Setiap unsur dinilai 1 sampai 4."),
    ({**ANSWERS, "u1": "4"}, "Setiap unsur dinilai 1 sampai 4."),
    ({**ANSWERS, "u1": True}, "Setiap unsur dinilai 1 sampai 4."),
    ({**ANSWERS, "u10": 4}, "Unsur penilaian tidak dikenal: u10."),
])
def test_the_service_refuses_incomplete_or_invalid_elements(responded, elements, message):
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        complaint_rate(complaint_id=responded.pk, elements=elements)
    assert ServiceRating.objects.count() == 0


def test_the_service_stores_the_elements_in_order_with_the_derived_score(responded):
    rating = complaint_rate(complaint_id=responded.pk, elements=dict(reversed(ANSWERS.items())),
                            comment="ok")
    rating.refresh_from_db()
    assert list(rating.elements.items()) == list(ANSWERS.items())
    assert rating.score == 3


@pytest.mark.parametrize(("total", "score"), [(9, 1), (13, 1), (14, 2), (22, 2), (23, 3),
                                             (31, 3), (32, 4), (36, 4)])
def test_the_overall_score_is_the_elements_mean_with_halves_rounded_up(total, score):
    # 13.5 / 9 = 1.5 is not reachable; 14 / 9 = 1.56 -> 2, 22 / 9 = 2.44 -> 2, 23 / 9 -> 3.
    elements = dict.fromkeys(ELEMENT_CODES, 1)
    for code in ELEMENT_CODES:
        while elements[code] < 4 and sum(elements.values()) < total:
            elements[code] += 1
    assert sum(elements.values()) == total
    assert overall_score(elements) == score


@pytest.mark.parametrize("elements", [
    {"u1": 4},
    {**ANSWERS, "u2": 5},
    {**ANSWERS, "u2": 0},
    {**ANSWERS, "u2": "3"},
])
def test_the_database_refuses_partial_or_out_of_range_elements(responded, elements):
    with pytest.raises(IntegrityError):
        ServiceRating.objects.create(complaint=responded, score=3, elements=elements)


def test_ratings_from_before_the_survey_stay_valid(responded, client):
    ServiceRating.objects.create(complaint=responded, score=4, elements={})
    html = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    assert "Anda menilai layanan ini 4 dari 4" in html
    assert 'name="u1"' not in html


def test_the_survey_is_translated_to_english(client, responded):
    client.post(reverse("set_language"), {"language": "en", "next": TRACK})
    html = client.post(RATE, _post(responded.tracking_code, u1=4)).content.decode()
    assert "Choose an answer for U2 (Systems, mechanisms and procedures)." in html
    assert "How polite and friendly were the staff who served you?" in html
    assert "Free of charge" in html
    client.post(reverse("set_language"), {"language": "id", "next": TRACK})
