"""The blank complaint form from the per-process memo (portal/pagecache.py, issue 17): each
answer carries its own CSRF and single-use form tokens, a configuration change shows at once,
visitors with a session get a fresh render, and the memo is bounded."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.offices.models import ServiceType
from aduan.portal import pagecache, throttle

pytestmark = pytest.mark.django_db

SUBMIT = reverse("portal:submit")


def _tokens(html: str) -> tuple[str, str]:
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    return csrf, form


def test_each_visitor_gets_own_tokens_from_one_render(portal_office, fast_form, settings):
    settings.ADUAN_REFCACHE_SECONDS = 60  # as in production: the version is trusted a while
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page1 = first.get(SUBMIT).content.decode()
    with CaptureQueriesContext(connection) as queries:
        page2 = second.get(SUBMIT).content.decode()
    assert len(queries) == 0, [q["sql"] for q in queries]  # no query, no render
    (csrf1, token1), (csrf2, token2) = _tokens(page1), _tokens(page2)
    assert token1 != token2
    assert throttle.form_token_nonce(token1) != throttle.form_token_nonce(token2)
    assert throttle.form_token_ok(token1) and throttle.form_token_ok(token2)
    # The pages are the same apart from the tokens.
    assert page1.replace(csrf1, "").replace(token1, "") == page2.replace(csrf2, "").replace(
        token2, "")
    # Each visitor's page posts with its own cookie: the CSRF token written in is theirs.
    data = {"csrfmiddlewaretoken": csrf2, "form_token": token2, "name": "Rahmi Ayunda",
            "phone": "085156791234", "email": "", "subject": "SIP belum terdaftar",
            "description": "Saya ingin melihat SIP saya.", "consent": "on", "website": ""}
    response = second.post(SUBMIT, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert first.post(SUBMIT, {**data, "form_token": token2}).status_code == 403  # not theirs
    assert first.post(SUBMIT, {**data, "csrfmiddlewaretoken": csrf1,
                               "form_token": token1}).status_code == 302


def test_a_new_permit_type_shows_on_the_next_form(portal_office):
    assert "Izin Uji Memo" not in Client().get(SUBMIT).content.decode()
    ServiceType.objects.create(office=portal_office, name="Izin Uji Memo", code="UJIMEMO",
                               is_active=True)
    assert "Izin Uji Memo" in Client().get(SUBMIT).content.decode()


def test_a_visitor_with_a_session_gets_a_fresh_render(portal_office, officer):
    Client().get(SUBMIT)
    kept = len(pagecache._forms._cache)
    staff = Client()
    login_verified(staff, officer)
    assert staff.get(SUBMIT).status_code == 200
    assert len(pagecache._forms._cache) == kept


def test_the_form_memo_is_bounded(portal_office):
    client = Client()
    for i in range(pagecache.FORM_ENTRIES * 3):
        assert client.get(f"{SUBMIT}?from={i}").status_code == 200
        assert len(pagecache._forms._cache) <= pagecache.FORM_ENTRIES


def test_the_tracking_memo_is_bounded():
    """In bytes (portal/tests/test_pagecache_bound.py has the details)."""
    assert pagecache._pages.limit == pagecache.PAGE_BYTES
    for i in range(pagecache.PAGE_BYTES // 8_000 * 3):
        pagecache._pages.set(f"k{i}", b"x" * 8_000)
        assert pagecache._pages.size <= pagecache.PAGE_BYTES
    assert len(pagecache._pages) > 100
    pagecache.clear()
