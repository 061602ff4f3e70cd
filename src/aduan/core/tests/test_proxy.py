"""The client's address behind our proxy: trusted only from the proxies we name."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aduan.core.proxy import client_address


@pytest.fixture
def proxies(settings):
    settings.ADUAN_TRUSTED_PROXIES = ["10.0.0.10", "192.168.5.0/24"]
    return settings


def test_forwarded_address_is_taken_from_a_trusted_proxy(proxies):
    meta = {"REMOTE_ADDR": "10.0.0.10", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client_address(meta) == "203.0.113.7"
    meta = {"REMOTE_ADDR": "192.168.5.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.2"}
    assert client_address(meta) == "198.51.100.2"  # what nginx appended, not the client's claim


def test_forwarded_header_from_anyone_else_is_ignored(proxies):
    meta = {"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "10.0.0.10"}
    assert client_address(meta) == "198.51.100.9"


def test_nothing_is_trusted_by_default(settings):
    settings.ADUAN_TRUSTED_PROXIES = []
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client_address(meta) == "127.0.0.1"


@given(st.text(max_size=200))
def test_garbage_in_the_header_keeps_the_proxy_address(header):
    from django.conf import settings

    settings.ADUAN_TRUSTED_PROXIES = ["10.0.0.10"]
    try:
        result = client_address({"REMOTE_ADDR": "10.0.0.10", "HTTP_X_FORWARDED_FOR": header})
    finally:
        settings.ADUAN_TRUSTED_PROXIES = []
    ipaddress.ip_address(result)  # always an address: the proxy's or a well-formed one



def test_request_address_is_rewritten_by_the_middleware(client, proxies, settings, db):
    settings.ADUAN_METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.10",
                      HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.10",
                      HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 403
