"""The tracking page memo (portal/pagecache.py): an unchanged case is answered without
rendering, every change the page shows is seen at once, and each visitor gets its own CSRF
token in the memoised page's forms."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.complaints.services import Checklist, complaint_respond, complaint_verify
from aduan.offices.models import Office
from aduan.portal import pagecache

pytestmark = pytest.mark.django_db

TRACK = reverse("portal:track")


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    page = client.get(TRACK).content.decode()
    return client, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_an_unchanged_case_is_answered_from_the_memo_with_one_small_query(client, responded,
                                                                          settings):
    settings.ADUAN_REFCACHE_SECONDS = 60  # as in production (1 s): the version is fresh
    first = client.post(TRACK, {"code": responded.tracking_code})
    with CaptureQueriesContext(connection) as queries:
        second = client.post(TRACK, {"code": responded.tracking_code})
    assert second.status_code == 200
    # The case's state; no configuration, case, timeline or rating queries.
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "SIP Anda sudah terbit" in second.content.decode()
    strip = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
    assert strip.sub("", first.content.decode()) == strip.sub("", second.content.decode())
    assert second["Cache-Control"] == "no-store"


def test_a_first_lookup_renders_with_one_query(client, responded, settings):
    settings.ADUAN_REFCACHE_SECONDS = 60
    client.get(TRACK)  # the process has built its configuration memo (office header)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(TRACK, {"code": responded.tracking_code})
    assert response.status_code == 200
    # The case with its channel, rating, whether its reporter was anonymised and its public
    # timeline, in one statement (one round trip to PostgreSQL).
    assert len(queries) == 1, [q["sql"][:80] for q in queries]
    assert "SIP Anda sudah terbit" in response.content.decode()  # the timeline's answer
    # Nothing of the reporter but the anonymisation mark is read for a public page.
    reporter_columns = re.findall(r'r\."(\w+)"', queries[0]["sql"])
    assert reporter_columns == ["anonymised_at", "id"], queries[0]["sql"]


def test_each_step_of_the_case_is_seen_on_the_next_lookup(client, complaint, officer):
    assert "Diterima" in client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer,
                      response="Jawaban baru dari petugas.")
    html = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    assert "Jawaban baru dari petugas." in html
    assert "Ditanggapi" in html


def test_an_office_rename_is_seen_on_the_next_lookup(client, responded):
    client.post(TRACK, {"code": responded.tracking_code})
    office = Office.objects.get(pk=responded.office_id)
    office.name = "Dinas Penanaman Modal Yang Baru"
    office.save()
    html = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    assert "Dinas Penanaman Modal Yang Baru" in html


def test_the_english_page_is_not_served_the_indonesian_memo(client, responded):
    client.post(TRACK, {"code": responded.tracking_code})
    html = client.post(TRACK, {"code": responded.tracking_code},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in html


def test_every_visitor_gets_a_working_token_of_their_own(responded, officer):
    tokens = set()
    for _ in range(2):  # the first visitor fills the memo, the second is answered from it
        client, token = _csrf_client()
        page = client.post(TRACK, {"code": responded.tracking_code,
                                   "csrfmiddlewaretoken": token}).content.decode()
        assert pagecache._CSRF_PLACEHOLDER not in page
        form_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        assert len(form_tokens) == 1
        tokens |= form_tokens
        # The memoised page's own form works for this visitor (CSRF enforced).
        response = client.post(reverse("portal:reopen"), {
            "code": responded.tracking_code, "reason": "Belum bisa diunduh.",
            "csrfmiddlewaretoken": form_tokens.pop()})
        assert response.status_code == 200
        assert "Pengaduan dibuka kembali" in response.content.decode()
        complaint_respond(complaint_id=responded.pk, actor=officer,
                          response="Silakan coba lagi.")
    assert len(tokens) == 2


def test_messages_to_the_visitor_are_never_memoised(client, responded):
    done = client.post(reverse("portal:reopen"), {"code": responded.tracking_code,
                                                  "reason": "Belum bisa diunduh."})
    assert "Pengaduan dibuka kembali" in done.content.decode()
    html = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    assert "Pengaduan dibuka kembali" not in html
    assert client.post(TRACK, {"code": "kode-salah"}).status_code == 404


def test_an_event_without_a_change_of_status_is_seen_too(client, responded, officer):
    from aduan.complaints.services import complaint_add_note

    before = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    updated_at = type(responded).objects.get(pk=responded.pk).updated_at
    complaint_add_note(complaint_id=responded.pk, actor=officer, body="Catatan internal baru")
    assert type(responded).objects.get(pk=responded.pk).updated_at > updated_at
    # The note is internal: the page reads the case again, and still does not show it.
    after = client.post(TRACK, {"code": responded.tracking_code}).content.decode()
    assert "Catatan internal baru" not in after
    assert before.count('class="event ') == after.count('class="event ')


def test_the_blank_survey_is_rendered_once_and_carries_each_case_and_visitor(responded, office,
                                                                              officer):
    from aduan.complaints.services import ReporterInput, complaint_register
    from aduan.portal.services import web_channel_for
    from aduan.portal.templatetags import portal_rating

    other = complaint_register(
        office=office, channel=web_channel_for(office), subject="Lain", description="Kasus lain",
        reporter=ReporterInput(name="Pelapor Lain", email="lain@example.org", consent=True))
    complaint_verify(complaint_id=other.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=other.pk, actor=officer, response="Sudah.")
    portal_rating._blank.clear()
    for complaint in (responded, other):
        client, token = _csrf_client()
        page = client.post(TRACK, {"code": complaint.tracking_code,
                                   "csrfmiddlewaretoken": token}).content.decode()
        survey = page[page.index('id="rating"'):]
        assert f'name="code" value="{complaint.tracking_code}"' in survey
        assert portal_rating._CODE not in page and portal_rating._TOKEN not in page
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', survey).group(1)
        # The survey's token is this visitor's: the rating goes through with CSRF enforced.
        answers = {f"u{i}": "4" for i in range(1, 10)}
        response = client.post(reverse("portal:rate"), {
            "code": complaint.tracking_code, "csrfmiddlewaretoken": form_token, **answers})
        assert response.status_code == 200
        assert "Terima kasih atas penilaian Anda." in response.content.decode()
    assert len(portal_rating._blank) == 1  # one language, rendered once


def test_the_page_chrome_is_rendered_once_and_each_lookup_gets_its_own_case_and_code(
        client, responded, office):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from aduan.complaints.services import ReporterInput, complaint_register
    from aduan.portal.selectors import public_case_find, public_case_of
    from aduan.portal.services import web_channel_for

    complaint = complaint_register(
        office=office, channel=web_channel_for(office), subject="Lain", description="Kasus lain",
        reporter=ReporterInput(name="Pelapor Lain", email="lain@example.org", consent=True))

    pagecache.clear()
    typed = responded.tracking_code.lower().replace("-", " ")  # as a reporter may type it
    first = client.post(TRACK, {"code": typed}).content.decode()
    second = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    assert len(pagecache._chromes) == 1
    assert f'id="id_code" maxlength="64" required autocomplete="off" autocapitalize="off" ' \
           f'spellcheck="false" value="{typed}"' in first
    assert responded.register_number in first and complaint.register_number not in first
    assert complaint.register_number in second and responded.register_number not in second
    for page in (first, second):
        assert pagecache._CODE_PLACEHOLDER not in page
        assert pagecache._CASE_PLACEHOLDER not in page
        assert pagecache._CSRF_PLACEHOLDER not in page
    # The page put together from the chrome and the case's part is the page rendered whole.
    request = RequestFactory().post(TRACK, {"code": typed})
    request.session = {}
    whole = render_to_string("portal/track.html", {
        "code": typed, "case": public_case_of(public_case_find(typed)),
        "csrf_token": "T" * 64}, request=request)
    strip = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
    assert strip.sub("", first) == strip.sub("", whole)


def test_a_lookups_token_is_masked_in_one_random_read(complaint):
    """Django's get_token draws its mask character by character (32 system calls); the page's
    token comes from core/csrftoken.py, and the page's forms still pass the CSRF check."""
    from unittest import mock

    pagecache.clear()
    client, token = _csrf_client()
    with mock.patch("django.middleware.csrf._mask_cipher_secret",
                    side_effect=AssertionError("per-character mask")):
        response = client.post(TRACK, {"code": complaint.tracking_code,
                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    page_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                           response.content.decode()).group(1)
    assert page_token != token
    again = client.post(TRACK, {"code": complaint.tracking_code,
                                "csrfmiddlewaretoken": page_token})
    assert again.status_code == 200


def test_a_visitor_without_cookies_gets_no_message_storage_built(client, complaint, responded):
    """Without a messages or session cookie nothing can be waiting: the lazy message storage
    is not built for the page memo's question (it built a signer and read the session)."""
    from unittest import mock

    # The page chrome and the blank form are rendered once per process (their templates
    # read the messages; a visitor with one waiting never reaches the memo).
    client.post(TRACK, {"code": responded.tracking_code})
    client.get(reverse("portal:submit"))
    with mock.patch("aduan.core.middleware.default_storage",
                    side_effect=AssertionError("message storage built")):
        assert client.post(TRACK, {"code": complaint.tracking_code}).status_code == 200
        assert client.get(reverse("portal:submit")).status_code == 200
    # A message waiting in its cookie is still seen (and the page then not memoised).
    from django.contrib.messages import INFO
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(INFO, "Pesan yang menunggu")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    page = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    assert "Pesan yang menunggu" in page
    again = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    assert "Pesan yang menunggu" not in again  # shown once, as Django's messages are


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                     response.content.decode()).group(1)


@pytest.mark.parametrize("memoised", [False, True])
def test_a_lookup_with_the_cookie_is_not_sent_the_cookie_again_and_keeps_csrf(
        complaint, memoised):
    """The CSRF cookie is sent again only when needed (core/csrftoken.py): not to a POST that
    carried this very secret. Every page still has its own mask of the visitor's secret, the
    answer varies on the cookie, and a token from another visitor's page is refused."""
    from django.middleware.csrf import _unmask_cipher_token

    pagecache.clear()
    client, token = _csrf_client()
    secret = client.cookies["csrftoken"].value
    if memoised:
        client.post(TRACK, {"code": complaint.tracking_code, "csrfmiddlewaretoken": token})
    response = client.post(TRACK, {"code": complaint.tracking_code,
                                   "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert response["Vary"] == "Cookie, Accept-Language"
    assert response["Cache-Control"] == "no-store"
    # Every security header of the stack, as on any other answer.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response
    assert response["Content-Language"] == "id"
    tokens = {_token(response)}
    for _ in range(3):
        tokens.add(_token(client.post(TRACK, {"code": complaint.tracking_code,
                                              "csrfmiddlewaretoken": token})))
    assert len(tokens) == 4 and token not in tokens  # each page its own mask
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    # The page's token works for this visitor ...
    assert client.post(TRACK, {"code": complaint.tracking_code,
                               "csrfmiddlewaretoken": tokens.pop()}).status_code == 200
    # ... and not for another one (another cookie): 403.
    other, _ = _csrf_client()
    assert other.cookies["csrftoken"].value != secret
    assert other.post(TRACK, {"code": complaint.tracking_code,
                              "csrfmiddlewaretoken": tokens.pop()}).status_code == 403


def test_the_cookie_is_still_sent_when_it_is_new_or_replaced_or_the_page_a_get(complaint):
    from django.middleware.csrf import _unmask_cipher_token

    pagecache.clear()
    # A GET of a memoised page renews the cookie's expiry, as Django does.
    client = Client(enforce_csrf_checks=True)
    client.get(TRACK)
    assert "csrftoken" in client.get(reverse("portal:submit")).cookies
    # A visitor whose cookie holds a masked token (64 characters): Django replaces the secret,
    # and the new one must be sent with the page that carries it.
    client, token = _csrf_client()
    client.cookies["csrftoken"] = token  # masked form of the same secret: accepted by Django
    response = client.post(TRACK, {"code": complaint.tracking_code,
                                   "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert _unmask_cipher_token(_token(response)) == response.cookies["csrftoken"].value
    # Without a cookie (CSRF not enforced, as the test client): a new secret, sent.
    fresh = Client()
    response = fresh.post(TRACK, {"code": complaint.tracking_code})
    assert response.status_code == 200 and "csrftoken" in response.cookies
    assert _unmask_cipher_token(_token(response)) == response.cookies["csrftoken"].value


def test_a_lookup_normalises_the_code_once(client, complaint):
    from unittest import mock

    from aduan.complaints import tracking

    pagecache.clear()
    with mock.patch.object(tracking, "normalise_code", wraps=tracking.normalise_code) as spy:
        response = client.post(TRACK, {"code": complaint.tracking_code.lower()})
    assert response.status_code == 200
    assert spy.call_count == 1
