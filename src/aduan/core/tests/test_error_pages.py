"""Styled 403, 404 and 500 pages: Indonesian (English on request), the desk's or the portal's
navigation, JSON under /api/, and a 500 page that needs neither the database nor a context."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client, RequestFactory

from aduan.accounts.testing import login_verified
from aduan.config import errors

pytestmark = pytest.mark.django_db


def test_portal_404_is_styled_in_indonesian_with_the_way_back(client, office):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'href="/"' in html and 'href="/lacak/"' in html  # portal navigation
    assert "/desk/" not in html
    assert office.short_name in html


def test_desk_404_has_the_desk_navigation_and_does_not_reveal_the_case(client, officer):
    login_verified(client, officer)
    response = client.get("/desk/pengaduan/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "tidak dapat Anda buka dengan peran Anda" in html
    assert 'href="/desk/"' in html


def test_a_signed_in_officer_gets_the_desk_navigation_on_any_404(client, officer):
    login_verified(client, officer)
    html = client.get("/tidak-ada/").content.decode()
    assert 'href="/desk/"' in html and "Kembali ke kotak masuk" in html


def test_404_in_english_through_the_language_cookie(client, office):
    client.cookies["django_language"] = "en"
    html = client.get("/tidak-ada/").content.decode()
    assert "Page not found" in html
    assert 'lang="en"' in html


def test_403_page_is_styled(client, users):
    login_verified(client, users["kadis"])  # the head may not record complaints
    response = client.get("/desk/catat/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html and 'href="/desk/"' in html


def test_csrf_failure_says_what_to_do(office):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/lacak/", {"code": "X"})
    assert response.status_code == 403
    assert "Muat ulang halaman" in response.content.decode()


def test_api_paths_answer_with_the_json_envelope(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.urls("aduan.core.tests.urls_boom")
@pytest.mark.parametrize(("path", "link"), [("/boom/", 'href="/lacak/"'),
                                            ("/desk/boom/", 'href="/desk/"')])
def test_500_page_is_styled_and_names_the_way_back(path, link, office):
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi gangguan pada sistem" in html
    assert link in html
    assert "boom" not in html and "Traceback" not in html


@pytest.mark.django_db(False)
def test_500_page_renders_with_the_database_unreachable():
    """No `db` here: pytest-django makes any query raise, so a query would fail this test."""
    request = RequestFactory().get("/pengaduan/kirim/")
    with mock.patch("aduan.offices.selectors.office_default",
                    side_effect=AssertionError("the 500 page read the office")):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Terjadi gangguan pada sistem" in response.content.decode()


@pytest.mark.django_db(False)
def test_500_falls_back_to_plain_text_when_the_template_fails():
    request = RequestFactory().get("/")
    with mock.patch("aduan.config.errors.render_error", side_effect=RuntimeError("no template")):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
