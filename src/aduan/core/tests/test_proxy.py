"""The client's address behind our proxies (core/proxy.py): X-Forwarded-For is walked from the
right through the proxies we name, and only from them; REMOTE_ADDR carries the result to every
reader (rate limits, audit, metrics)."""

import ipaddress

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from aduan.complaints.tracking import new_tracking_code
from aduan.config.middleware import EdgeMiddleware
from aduan.core import ratelimit
from aduan.core.proxy import client_address

EDGE, BALANCER = "10.0.0.10", "192.168.5.20"  # nginx, and a load balancer in front of it


@pytest.fixture
def proxies(settings):
    settings.ADUAN_TRUSTED_PROXIES = [EDGE, "192.168.5.0/24", "2001:db8:1::/64"]
    return settings


def meta(remote: str, forwarded: str | None = None) -> dict[str, str]:
    return {"REMOTE_ADDR": remote,
            **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})}


def test_forwarded_address_is_taken_from_a_trusted_proxy(proxies):
    assert client_address(meta(EDGE, "203.0.113.7")) == "203.0.113.7"
    # nginx appended the client's real address to what the client sent.
    assert client_address(meta(EDGE, "1.2.3.4, 198.51.100.2")) == "198.51.100.2"


def test_a_chain_of_trusted_proxies_is_walked_to_the_client(proxies):
    # client -> load balancer -> nginx -> gunicorn: each proxy appended the address it saw.
    assert client_address(meta(EDGE, f"203.0.113.7, {BALANCER}")) == "203.0.113.7"
    assert client_address(meta(BALANCER, f"203.0.113.7, {BALANCER}, 192.168.5.21")) \
        == "203.0.113.7"
    # IPv6 hops, with and without brackets; spaces and empty entries are tolerated.
    assert client_address(meta("2001:db8:1::5", "2001:db8:ff::9 ,, [2001:db8:1::6]")) \
        == "2001:db8:ff::9"


def test_a_spoofed_chain_cannot_choose_the_address(proxies):
    # The client writes trusted proxies and a victim's address; nginx appends its real address.
    spoofed = f"198.51.100.66, {EDGE}, {BALANCER}"
    assert client_address(meta(EDGE, f"{spoofed}, 203.0.113.7")) == "203.0.113.7"
    # Straight to gunicorn, a header naming anything is ignored.
    assert client_address(meta("203.0.113.7", spoofed)) == "203.0.113.7"
    assert client_address(meta("203.0.113.7", "10.0.0.10")) == "203.0.113.7"


def test_garbage_stops_the_walk_at_the_last_good_hop(proxies):
    assert client_address(meta(EDGE, "garbage")) == EDGE
    assert client_address(meta(EDGE, f"203.0.113.7, not-an-ip, {BALANCER}")) == BALANCER
    assert client_address(meta(EDGE, "")) == EDGE
    assert client_address(meta(EDGE)) == EDGE


def test_a_request_from_inside_the_proxies_network_is_its_leftmost_hop(proxies):
    assert client_address(meta(EDGE, f"192.168.5.77, {BALANCER}")) == "192.168.5.77"


def test_nothing_is_trusted_by_default(settings):
    settings.ADUAN_TRUSTED_PROXIES = []
    assert client_address(meta("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_a_malformed_setting_stops_the_start(settings):
    settings.ADUAN_TRUSTED_PROXIES = ["10.0.0.0/8", "nginx.internal"]
    with pytest.raises(ImproperlyConfigured, match=r"'nginx\.internal' is not an address"):
        EdgeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]


@given(st.text(max_size=200), st.sampled_from([EDGE, BALANCER, "203.0.113.9"]))
def test_any_header_gives_an_address_the_proxies_or_a_well_formed_one(header, remote):
    from django.conf import settings

    settings.ADUAN_TRUSTED_PROXIES = [EDGE, "192.168.5.0/24"]
    try:
        result = client_address(meta(remote, header))
    finally:
        settings.ADUAN_TRUSTED_PROXIES = []
    ipaddress.ip_address(result)
    if remote == "203.0.113.9":
        assert result == remote  # not a proxy: the header counts for nothing


def test_request_address_is_rewritten_by_the_middleware(client, proxies, settings, db):
    settings.ADUAN_METRICS_ALLOWED_IPS = ["203.0.113.0/24"]
    assert client.get("/metrics", REMOTE_ADDR=EDGE,
                      HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR=EDGE,
                      HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 403
    # A client naming an allowed address in front of its own is still itself.
    assert client.get("/metrics", REMOTE_ADDR=EDGE,
                      HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.1").status_code == 403


def test_rate_limits_count_each_client_behind_the_proxies(client, proxies, settings, db):
    """Over HTTP through the middleware: two clients behind the same two proxies get their own
    buckets, and a client cannot move to another bucket by writing X-Forwarded-For."""
    settings.ADUAN_API_RATE_LIMITS = {"track": (1, 3600)}
    cache.clear()
    url = f"/api/v1/complaints/{new_tracking_code()}"

    def get(forwarded: str) -> int:
        return client.get(url, REMOTE_ADDR=EDGE, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert get(f"203.0.113.7, {BALANCER}") == 404
    assert get(f"203.0.113.7, {BALANCER}") == 429
    assert get(f"198.51.100.8, 203.0.113.7, {BALANCER}") == 429  # spoofed prefix: same client
    assert get(f"203.0.113.8, {BALANCER}") == 404  # another citizen


def test_the_rate_limiter_reads_remote_addr_only(proxies):
    """The walk happens once, in the middleware: the limiter does not walk the header again."""
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7",
                                   HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ratelimit.client_address(request) == "203.0.113.7"
    request.META["REMOTE_ADDR"] = ""
    assert ratelimit.client_address(request) == "unknown"
