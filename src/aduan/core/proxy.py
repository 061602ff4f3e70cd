"""The client's address behind our own reverse proxy (nginx, docs/deployment.md).

Behind nginx every request comes from the proxy's address, so the per-address rate limits
would throttle all the public together and the metrics' address rule would let everyone in.
When the connection comes from an address in ADUAN_TRUSTED_PROXIES, the address nginx put in
`X-Forwarded-For` (its `$remote_addr`, the last entry) becomes REMOTE_ADDR. From any other
address the header is ignored: a client can write whatever it likes in it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str) -> bool:
    entries = tuple(getattr(settings, "ADUAN_TRUSTED_PROXIES", ()))
    if not entries:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(entries))


def client_address(meta: dict[str, str]) -> str:
    remote = meta.get("REMOTE_ADDR", "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _is_trusted(remote):
        return remote
    candidate = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["REMOTE_ADDR"] = client_address(request.META)
        return self.get_response(request)
