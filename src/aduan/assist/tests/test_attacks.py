"""Hostile input on the assist paths: the reply words, the picker's search and keys, the
prefill parameter and the public poll never fail with a server error or leak another
office's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.accounts.testing import login_verified
from aduan.assist.instant import classify_reply
from aduan.complaints.tests.factories import register_complaint

HOSTILE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@given(HOSTILE)
def test_classify_reply_is_total(text):
    assert classify_reply(text) in {"yes", "no", "other"}


@pytest.mark.django_db
def test_picker_search_key_prefill_and_poll_take_any_input(users, office):
    client = Client()
    login_verified(client, users["petugas"])
    complaint = register_complaint(office, received=timezone.now())
    detail = reverse("desk:complaint-detail", args=[complaint.pk])
    listing = reverse("assist:canned-list", args=[complaint.pk])
    use = reverse("assist:canned-use", args=[complaint.pk])
    poll = reverse("assist_public:instant-poll")

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(HOSTILE)
    def check(value):
        value = value.replace("\x00", "")
        assert client.get(listing, {"field": "answer-answer", "q": value}).status_code == 200
        assert client.get(use, {"field": "answer-answer", "key": value}).status_code in (
            200, 404)
        assert client.get(use, {"field": value, "key": "faq:1"}).status_code == 404
        assert client.get(detail, {"isi": value}).status_code == 200
        assert Client().get(poll, {"t": value, "n": value}).status_code == 404

    check()
