"""API tokens limited to networks: refused elsewhere like an unknown token (issue 12)."""

from __future__ import annotations

import pytest
from django.test import Client

from aduan.api.services import api_token_create
from aduan.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_token_works_only_from_its_allowed_networks(officer):
    _token, secret = api_token_create(user=officer, name="kantor",
                                      allowed_networks="10.20.0.0/16\n192.0.2.7, 2001:db8::/32")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for ip in ("10.20.3.4", "192.0.2.7", "2001:db8::5"):
        assert Client(REMOTE_ADDR=ip).get("/api/v1/cases", **headers).status_code == 200
    outside = Client(REMOTE_ADDR="10.21.0.1").get("/api/v1/cases", **headers)
    unknown = Client(REMOTE_ADDR="10.21.0.1").get(
        "/api/v1/cases", HTTP_AUTHORIZATION="Bearer adn_tidak-ada")
    assert outside.status_code == unknown.status_code == 401
    assert outside.json() == unknown.json()


@pytest.mark.parametrize("networks", ["10.20.0.0/33", "kantor", "10.0.0.0/8; 300.1.1.1"])
def test_invalid_networks_are_refused_when_the_token_is_issued(officer, networks):
    with pytest.raises(ApplicationError):
        api_token_create(user=officer, name="x", allowed_networks=networks)
