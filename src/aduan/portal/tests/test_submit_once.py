"""Exactly once, bounded and clean on the web form: a replayed or double-clicked form shows
the first receipt; names are stored without control or bidi characters and shown in <bdi>."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint, SubmissionKey
from aduan.portal.tests.conftest import PDF, upload

URL = reverse("portal:submit")


@pytest.mark.django_db
def test_a_replayed_form_shows_the_first_receipt(client, portal_office, form_data):
    data = form_data()
    first = client.post(URL, data)
    assert first.status_code == 302
    again = client.post(URL, data)
    assert again.status_code == 302
    assert Complaint.objects.count() == 1
    assert SubmissionKey.objects.get().scope == "web"
    number = Complaint.objects.get().register_number
    for answer in (first, again):
        receipt = client.get(answer["Location"]).content.decode()
        assert f'id="register-number">{number}<' in receipt


@pytest.mark.django_db
def test_the_token_of_one_complaint_cannot_carry_another(client, portal_office, form_data):
    data = form_data()
    assert client.post(URL, data).status_code == 302
    other = client.post(URL, {**data, "description": "Pengaduan lain dengan token lama."})
    assert other.status_code == 302
    assert Complaint.objects.count() == 1
    assert "Pengaduan lain" not in Complaint.objects.get().description


@pytest.mark.django_db(transaction=True)
def test_a_double_click_registers_once(portal_office, form_data):
    # PostgreSQL: the second insert of the key waits for the first transaction, then fails;
    # SQLite: IMMEDIATE transactions queue the second behind the first's commit.
    data = form_data(attachments=None)
    answers = []

    def post():
        try:
            answers.append(Client().post(URL, data))
        finally:
            connection.close()  # the thread's own connection, or the test database stays open

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [302, 302]
    assert Complaint.objects.count() == 1
    number = Complaint.objects.get().register_number
    for answer in answers:
        assert number in Client().get(answer["Location"]).content.decode()


@pytest.mark.django_db
def test_control_and_bidi_characters_never_reach_the_case(client, portal_office, form_data,
                                                          officer):
    response = client.post(URL, form_data(
        name="Rahmi\u202e imdA\x1b[2J", description="Isi\x07 pengaduan\x85 saya.\u2066"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.reporter.name == "Rahmi imdA[2J"
    assert complaint.description == "Isi pengaduan saya."
    login_verified(client, officer)
    page = client.get(reverse("desk:complaint-detail", args=[complaint.pk])).content.decode()
    assert "<bdi>Rahmi imdA[2J</bdi>" in page


@pytest.mark.django_db
def test_a_refused_form_names_every_file_to_choose_again(client, portal_office, form_data):
    response = client.post(URL, form_data(phone="12", attachments=[
        upload("ktp.pdf", PDF), upload("izin\u202egnp.pdf", PDF)]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "<li><bdi>ktp.pdf</bdi></li>" in html
    assert "<li><bdi>izingnp.pdf</bdi></li>" in html
    assert 'value="Rahmi Ayunda"' in html


@pytest.mark.django_db
def test_per_contact_limit_answers_429_with_retry_after(client, portal_office, form_data,
                                                        settings):
    settings.ADUAN_RATE_LIMITS = {"submit_contact": (2, 3600)}
    for address in ("10.0.0.1", "10.0.0.2"):
        assert client.post(URL, form_data(), REMOTE_ADDR=address).status_code == 302
    limited = client.post(URL, form_data(), REMOTE_ADDR="10.0.0.3")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    html = limited.content.decode()
    assert "Terlalu banyak pengaduan" in html
    assert "Saya ingin melihat SIP saya sudah terdaftar atau belum." in html
    other = client.post(URL, form_data(phone="081268610099", email="lain@example.org"),
                        REMOTE_ADDR="10.0.0.3")
    assert other.status_code == 302


@pytest.mark.django_db
def test_an_oversized_request_is_413_before_its_body_is_read(client, portal_office, settings):
    settings.ADUAN_MAX_REQUEST_BYTES = 1000
    response = client.generic("POST", URL, b"x" * 1001,
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()
    api = client.generic("POST", "/api/v1/complaints", b"x" * 1001,
                         content_type="multipart/form-data; boundary=x")
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "request_too_large"
