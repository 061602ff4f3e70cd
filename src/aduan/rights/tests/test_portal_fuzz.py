"""Hostile input on the portal's data-subject request forms (Hypothesis): any POST gets a
page (never a 500), registers nothing without the one-time code, and echoes nothing raw."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aduan.rights.models import DataRequest, RequestChallenge

pytestmark = pytest.mark.django_db

fields = st.dictionaries(
    st.sampled_from(["code", "challenge", "otp", "kind", "detail", "csrfmiddlewaretoken"]),
    st.one_of(st.text(max_size=300), st.sampled_from(
        ["<script>alert(1)</script>", "' OR 1=1 --", "0" * 70, "\x00", "access", "erase",
         "123456", "1:abc:def"])),
    max_size=6)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=fields)
def test_any_post_to_either_step_is_answered_and_registers_nothing(client, office, data):
    cache.clear()  # the rate limits are tested elsewhere; here every example must get through
    clean = {k: v.replace("\x00", "") for k, v in data.items()}
    for url in (reverse("rights_portal:start"), reverse("rights_portal:verify")):
        response = client.post(url, clean)
        assert response.status_code in (200, 404, 422, 429)
        assert b"<script>alert(1)</script>" not in response.content
    assert not DataRequest.objects.exists()
    assert not RequestChallenge.objects.exists()
