"""The client's address behind our own reverse proxies (nginx, a load balancer; docs/deployment.md).

Behind a proxy every request comes from the proxy's address, so the per-address rate limits
would throttle all the public together and the metrics' address rule would let everyone in.
The outermost middleware (config/middleware.py `EdgeMiddleware`) therefore sets REMOTE_ADDR
to the client's address once, and everything else (rate limits, audit, metrics, API token networks)
reads REMOTE_ADDR only.

The client's address: when the connection comes from an address in ADUAN_TRUSTED_PROXIES
(addresses or networks), `X-Forwarded-For` is read from the right, one hop per proxy that
appended it, while the hops are trusted proxies too; the first hop that is not one is the
client. Entries left of it are the client's own words and never believed; from any other
connection the header is ignored entirely. A malformed entry ends the walk at the last
well-formed hop (one of our proxies), and a chain of trusted proxies only (a request from
inside the proxies' network) gives its left-most hop.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        if not entry.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"ADUAN_TRUSTED_PROXIES: {entry!r} is not an address or network") from None
    return tuple(networks)


_configured: tuple[Network, ...] | None = None


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ADUAN_TRUSTED_PROXIES (empty: no proxy is trusted), parsed once per
    process (and again when a test changes the setting): read on every request."""
    global _configured  # noqa: PLW0603
    if _configured is None:
        _configured = _networks(tuple(getattr(settings, "ADUAN_TRUSTED_PROXIES", ()) or ()))
    return _configured


@receiver(setting_changed)
def _forget_proxies(*, setting: str, **_: object) -> None:
    global _configured  # noqa: PLW0603
    if setting == "ADUAN_TRUSTED_PROXIES":
        _configured = None


def _parse(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_address(meta: Mapping[str, str]) -> str:
    """The client's address for a request's META (see the module's docstring)."""
    remote = meta.get("REMOTE_ADDR", "")
    proxies = trusted_proxies()

    def trusted(ip: Address | None) -> bool:
        return ip is not None and any(ip in network for network in proxies)

    if not proxies or not trusted(_parse(remote)):
        return remote
    client = remote
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        ip = _parse(hop)
        if ip is None:
            break  # not written by a proxy of ours: stop at the last good hop
        client = str(ip)
        if not trusted(ip):
            break
    return client
