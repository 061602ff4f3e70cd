"""The second way in: register number + the last four digits of the reporter's phone. Shows
progress only; one answer for a wrong number and wrong digits; limited per number and per
address; a helpful message when a code is not found."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.portal.services import web_channel_for

pytestmark = pytest.mark.django_db

TRACK = reverse("portal:track")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def _answer(response) -> tuple[int, str]:
    html = CSRF.sub("", response.content.decode())
    return response.status_code, re.sub(r'name="number"[^>]*value="[^"]*"', "", html)


def test_number_and_last_digits_show_the_case_without_reporter_actions(client, responded):
    # Reporter phone 085156791234: last four 1234.
    response = client.post(TRACK, {"number": responded.register_number, "phone_last4": "1234"})
    assert response.status_code == 200
    html = response.text
    assert responded.register_number in html
    assert 'id="case-status"' in html and 'id="by-number-note"' in html
    assert "SIP Anda sudah terbit" in html          # the public timeline
    assert "CATATAN-INTERNAL-123" not in html       # no internal notes
    assert 'id="confirm-satisfied"' not in html     # actions need the code itself
    assert responded.tracking_code not in html      # the credential is not handed out
    assert response["Cache-Control"] == "no-store"


def test_number_is_found_as_people_copy_it(client, responded):
    typed = "  " + responded.register_number.lower().replace("/", " / ") + " "
    assert client.post(TRACK, {"number": typed, "phone_last4": " 1234 "}).status_code == 200


def test_wrong_number_wrong_digits_no_phone_and_secret_get_one_answer(client, responded,
                                                                     portal_office):
    no_phone = complaint_register(
        office=portal_office, channel=web_channel_for(portal_office), subject="x",
        description="Tanpa HP.", reporter=ReporterInput(name="Budi", email="b@contoh.id",
                                                        consent=True))
    answers = {
        "wrong digits": client.post(TRACK, {"number": responded.register_number,
                                            "phone_last4": "9999"}),
        "wrong number": client.post(TRACK, {"number": "500.16.7.2/999/DPMPTSP/2025",
                                            "phone_last4": "1234"}),
        "no phone": client.post(TRACK, {"number": no_phone.register_number,
                                        "phone_last4": "0000"}),
        "letters": client.post(TRACK, {"number": responded.register_number,
                                       "phone_last4": "12a4"}),
    }
    Complaint.objects.filter(pk=responded.pk).update(is_secret=True)
    answers["secret"] = client.post(TRACK, {"number": responded.register_number,
                                            "phone_last4": "1234"})
    first = _answer(answers["wrong digits"])
    assert first[0] == 404
    assert "Tidak ada pengaduan dengan nomor pengaduan" in first[1]
    for name, response in answers.items():
        assert _answer(response) == first, name


def test_anonymised_reporter_is_not_found_by_number(client, responded):
    from django.utils import timezone
    Reporter.objects.filter(pk=responded.reporter_id).update(anonymised_at=timezone.now())
    response = client.post(TRACK, {"number": responded.register_number, "phone_last4": "1234"})
    assert response.status_code == 404


def test_guessing_digits_is_limited_per_number(client, responded, settings):
    for digits in ("0001", "0002", "0003", "0004", "0005"):
        assert client.post(TRACK, {"number": responded.register_number,
                                   "phone_last4": digits}).status_code == 404
    # The sixth try, even with the right digits and another spelling of the number, is refused.
    response = client.post(TRACK, {"number": responded.register_number.lower(),
                                   "phone_last4": "1234"})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert responded.subject not in response.text


def test_many_numbers_from_one_address_are_limited(client, responded):
    for n in range(10):
        client.post(TRACK, {"number": f"500.16.7.2/{n}/DPMPTSP/2025", "phone_last4": "1234"})
    response = client.post(TRACK, {"number": responded.register_number, "phone_last4": "1234"})
    assert response.status_code == 429


def test_empty_fields_get_a_form_message(client, portal_office):
    response = client.post(TRACK, {"number": "", "phone_last4": ""})
    assert response.status_code == 422
    assert "Isi nomor pengaduan dan empat angka terakhir nomor HP." in response.text


def test_unknown_code_message_explains_the_shape_and_the_second_way(client, portal_office):
    response = client.post(TRACK, {"code": "K7QM-3XPD-9RTA-2F6B"})
    assert response.status_code == 404
    assert "16 huruf dan angka" in response.text
    assert "nomor pengaduan dan empat angka terakhir" in response.text
    assert 'id="track-by-number" open' in response.text
