"""Every API error is in the API's shape: 405 and unknown paths included; Open311 answers a
missing api_key with 403 and describes every service."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

REST_CASES = [
    ("delete", "/api/v1/cases"),
    ("put", "/api/v1/cases"),
    ("delete", "/api/v1/units"),
]


@pytest.mark.parametrize(("method", "path"), REST_CASES)
def test_rest_405_uses_the_json_error_envelope_with_allow(client, office, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert method.upper() in error["message"]
    assert error["message_en"]
    assert response["Allow"]
    assert method.upper() not in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/tidak-ada", "/api/tidak-ada", "/api/v1/cases/x/y"])
def test_rest_unknown_paths_use_the_json_error_envelope(client, office, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_open311_405_in_the_georeport_format(client, office):
    response = client.delete("/api/open311/v2/services.json")
    assert response.status_code == 405
    body = response.json()
    assert body[0]["code"] == 405 and "DELETE" in body[0]["description"]
    assert "GET" in response["Allow"]
    response = client.put("/api/open311/v2/services.xml")
    assert response.status_code == 405
    root = ElementTree.fromstring(response.content)
    assert root.find("error").findtext("code") == "405"


def test_open311_unknown_path_in_the_georeport_format(client, office):
    response = client.get("/api/open311/v2/tidak-ada.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_open311_missing_api_key_is_403(client, office):
    response = client.post("/api/open311/v2/requests.json",
                           "service_code=sip_bidan&address_string=x&description=y",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 403
    assert "api_key" in response.json()[0]["description"]


def test_open311_every_service_has_a_description(client, office):
    services = json.loads(client.get("/api/open311/v2/services.json").content)
    assert services
    for service in services:
        assert service["description"], service
        assert service["service_name"] in service["description"]
    xml = ElementTree.fromstring(client.get("/api/open311/v2/services.xml").content)
    assert all(s.findtext("description") for s in xml.findall("service"))
