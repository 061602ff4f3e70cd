"""Read access to office configuration (memoised per process, see core/refcache.py)."""

from dataclasses import dataclass

from django.http.request import split_domain_port

from aduan.core import refcache
from aduan.offices.models import Channel, ChannelKind, Office


@dataclass(frozen=True)
class OfficeRoutes:
    """Which office a public request names (offices/middleware.py): active offices by host name
    (lower case, no port) and by code, and the default office. One per process and
    configuration version; as many entries as active offices."""

    by_host: dict[str, Office]
    by_code: dict[str, Office]
    default: Office | None
    active: tuple[Office, ...]


def normal_host(host: str) -> str:
    domain, _port = split_domain_port(host.strip().lower())
    return domain or host.strip().lower().rstrip(".")


def _build_routes() -> OfficeRoutes:
    active = tuple(Office.objects.filter(is_active=True).order_by("pk"))
    central = next((o for o in active if o.is_central_intake), None)
    return OfficeRoutes(
        by_host={normal_host(o.host): o for o in active if o.host.strip()},
        by_code={o.code: o for o in active},
        default=central or (active[0] if active else None),
        active=active)


def office_routes() -> OfficeRoutes:
    """The host/code -> office map, memoised per process (core/refcache.py: rebuilt when an
    office changes). Shared instances: read them, do not modify them."""
    return refcache.memo(("office-routes",), _build_routes)


def office_default() -> Office | None:
    """The office of a request that names none (no office host, no /instansi/<code>/): the
    central intake if there is one, else the first active office, which is the one office of a
    single-office deployment. For the middleware; request code reads `request.office`.

    A shared, memoised instance: read it, do not modify it."""
    return office_routes().default


def office_get_current() -> Office | None:
    """Deprecated: the first active office, as before issue 18, for the callers without a
    request that remain (they are moving to the office of the case, the user or an argument;
    then this goes). Public request code reads `request.office`; the default office of a
    request is `office_default()` (the central intake first)."""
    routes = office_routes()
    return routes.active[0] if routes.active else None


def office_list_public() -> list[Office]:
    """The active offices, by name, for the regency's list of offices on the default home."""
    return sorted(office_routes().active, key=lambda o: o.name.casefold())


def office_get_by_id(office_id: int) -> Office | None:
    """The office with this id (active or not), memoised: the office a staff user works in
    (accounts.policy) is read on every desk request. A shared instance: do not modify it."""
    return refcache.memo(("office-by-id", office_id),
                         lambda: Office.objects.filter(pk=office_id).first())


def channel_list_active(office: Office) -> list[Channel]:
    return list(office.channels.filter(is_active=True).order_by("order", "name"))


def _active_channels(office_id: int) -> tuple[Channel, ...]:
    return refcache.memo(
        ("channels-active", office_id),
        lambda: tuple(Channel.objects.filter(office_id=office_id, is_active=True)
                      .order_by("order", "pk")))


def channel_first_of_kind(office: Office, kind: str) -> Channel | None:
    """The office's first active channel of `kind` (web, whatsapp, ...), memoised."""
    return next((c for c in _active_channels(office.pk) if c.kind == kind), None)


def channel_kind_is_active(office: Office, kind: ChannelKind | str) -> bool:
    return channel_first_of_kind(office, kind) is not None


def offices_routable_from(office_id: int) -> tuple[Office, ...]:
    """The offices a case at `office_id` can be routed or forwarded to: every other active
    office on the instance, in name order (memoised)."""
    return refcache.memo(
        ("offices-routable", office_id),
        lambda: tuple(Office.objects.filter(is_active=True).exclude(pk=office_id)
                      .only("id", "code", "name", "short_name", "authority")
                      .order_by("name", "pk")))
