"""Read access to office configuration (memoised per process, see core/refcache.py)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http.request import split_domain_port

from aduan.core import refcache
from aduan.offices.models import Channel, ChannelKind, Office, ReferralAgency, ServiceType, Unit


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


def office_list_public() -> list[Office]:
    """The active offices, by name, for the regency's list of offices on the default home."""
    return sorted(office_routes().active, key=lambda o: o.name.casefold())


def office_get_by_id(office_id: int) -> Office | None:
    """The office with this id (active or not), memoised: the office a staff user works in
    (accounts.policy) is read on every desk request. A shared instance: do not modify it."""
    return refcache.memo(("office-by-id", office_id),
                         lambda: Office.objects.filter(pk=office_id).first())


def office_units(office_id: int) -> tuple[Unit, ...]:
    """Every unit of the office (active or not), by name, memoised (the regency drill-down's
    lines). Shared instances: do not modify them."""
    return refcache.memo(("office-units", office_id),
                         lambda: tuple(Unit.objects.filter(office_id=office_id).order_by("name")))


def office_for_command(code: str | None) -> Office:
    """The office a management command works on: `--office CODE`, or the only active office
    when there is exactly one (a single-office deployment needs no option). LookupError with
    the known codes otherwise: a command never guesses an office of a regency instance."""
    if code:
        office = Office.objects.filter(code=code).first()
        if office is None:
            raise LookupError(f"Unknown office {code!r}; offices: {_codes()}.")
        return office
    active = list(Office.objects.filter(is_active=True).order_by("pk")[:2])
    if len(active) == 1:
        return active[0]
    if not active:
        raise LookupError("No active office: run load_demo or configure one.")
    raise LookupError(f"Several offices: choose one with --office CODE ({_codes()}).")


def _codes() -> str:
    return ", ".join(Office.objects.filter(is_active=True).order_by("code")
                     .values_list("code", flat=True)) or "none"


# --- Which office an inbound message belongs to (issue 18) ---------------------------------
# A message's office comes from the channel it arrived on: the number or mailbox it was sent
# to, matched against the active channels' `contact` ("address or number"; it may list several,
# separated by commas, e.g. "0811-7600-123, 1122334455667" for a WhatsApp number and its
# phone_number_id). SMS also matches WhatsApp channels (the seed office's "SMS / WA" line).
_MATCH_KINDS = {ChannelKind.SMS.value: (ChannelKind.SMS.value, ChannelKind.WHATSAPP.value)}
_EMAIL = re.compile(r"[^\s,;<>()\"']+@[^\s,;<>()\"']+")


def _phone_key(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if len(digits) >= 5 else ""


def address_key(kind: str, address: str) -> str:
    """The comparable form of a number or mailbox: lower-case e-mail, digits of a number
    (0812… and +62 812… are the same)."""
    address = (address or "").strip()
    if address.lower().startswith(DEVICE_PREFIX):
        return address.lower()
    if kind == ChannelKind.EMAIL:
        match = _EMAIL.search(address)
        return _mailbox(match.group(0)) if match else ""
    return _phone_key(address)


def _mailbox(address: str) -> str:
    """pengaduan+token@x.go.id (our reply address) is the mailbox pengaduan@x.go.id."""
    local, _at, domain = address.lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _contact_keys(kind: str, contact: str) -> set[str]:
    if kind == ChannelKind.EMAIL:
        return {_mailbox(m) for m in _EMAIL.findall(contact or "")}
    return {key for part in re.split(r"[,;/|\n]+", contact or "") if (key := _phone_key(part))}


# A channel's `sends_as` also names it on the way in: the WhatsApp phone_number_id and the
# From mailbox as numbers and mailboxes; an SMS gateway device id (which the gateway's webhook
# names, it knows no receiving number) as `id:<device id>`.
DEVICE_PREFIX = "id:"


def device_address(device_id: str) -> str:
    """The inbound address of an SMS gateway device (see `office_for_inbound`)."""
    device_id = (device_id or "").strip().lower()
    return f"{DEVICE_PREFIX}{device_id}" if device_id else ""


def _channel_keys(channel: Channel) -> set[str]:
    keys = _contact_keys(channel.kind, channel.contact)
    if channel.sends_as.strip():
        if channel.kind in (ChannelKind.WHATSAPP, ChannelKind.EMAIL):
            keys |= _contact_keys(channel.kind, channel.sends_as)
        keys.add(device_address(channel.sends_as))
    return keys


def _inbound_map() -> dict[tuple[str, str], frozenset[int]]:
    found: dict[tuple[str, str], set[int]] = {}
    for channel in Channel.objects.filter(is_active=True, office__is_active=True).only(
            "kind", "contact", "sends_as", "office_id"):
        for key in _channel_keys(channel):
            found.setdefault((channel.kind, key), set()).add(channel.office_id)
    return {key: frozenset(ids) for key, ids in found.items()}


def office_default_inbound() -> Office | None:
    """Where a message of no known channel goes: the central intake, or the one office of a
    single-office instance; None when several offices and no central intake (the message then
    waits in every office's review list, never dropped)."""
    return refcache.memo(("office-default-inbound",), _default_inbound)


def _default_inbound() -> Office | None:
    central = Office.objects.filter(is_active=True, is_central_intake=True).order_by("pk").first()
    if central is not None:
        return central
    active = list(Office.objects.filter(is_active=True).order_by("pk")[:2])
    return active[0] if len(active) == 1 else None


def office_for_inbound(kind: str, addresses: Sequence[str] = ()) -> Office | None:
    """The office of a message that arrived on channel `kind` at `addresses` (the number or
    mailbox it was sent to, most specific first): the office of the first address that names
    exactly one office's channel; else `office_default_inbound()`."""
    table = refcache.memo(("inbound-channel-map",), _inbound_map)
    kinds = _MATCH_KINDS.get(kind, (kind,))
    for address in addresses:
        key = address_key(kind, address)
        if not key:
            continue
        offices: set[int] = set()
        for match_kind in kinds:
            offices |= table.get((match_kind, key), frozenset())
        if len(offices) == 1:
            office = office_get_by_id(next(iter(offices)))
            if office is not None and office.is_active:
                return office
    return office_default_inbound()


def channel_list_active(office: Office) -> list[Channel]:
    return list(office.channels.filter(is_active=True).order_by("order", "name"))


def _active_channels(office_id: int) -> tuple[Channel, ...]:
    return refcache.memo(
        ("channels-active", office_id),
        lambda: tuple(Channel.objects.filter(office_id=office_id, is_active=True)
                      .order_by("order", "pk")))


def service_types_active(office_id: int) -> dict[int, ServiceType]:
    """The office's active permit types by id, memoised per process (core/refcache.py): the
    web form checks the chosen type here instead of a query per submission (issue 17).
    Shared by every request of the process: read-only."""
    return refcache.memo(
        ("service-types-active", office_id),
        lambda: {st.pk: st for st in ServiceType.objects.filter(office_id=office_id,
                                                                 is_active=True)})


def channel_first_of_kind(office: Office, kind: str) -> Channel | None:
    """The office's first active channel of `kind` (web, whatsapp, ...), memoised."""
    return next((c for c in _active_channels(office.pk) if c.kind == kind), None)


def channel_kind_is_active(office: Office, kind: ChannelKind | str) -> bool:
    return channel_first_of_kind(office, kind) is not None


def _sends_as(office_id: int, kind: str) -> tuple[int, str] | None:
    """(channel id, sends_as) of the office's first active channel of `kind` that has one."""
    for channel in _active_channels(office_id):
        if channel.kind == kind and channel.sends_as.strip():
            return channel.pk, channel.sends_as.strip()
    return None


def _central_intake_id() -> int | None:
    return refcache.memo(("office-central-intake",), lambda: Office.objects.filter(
        is_active=True, is_central_intake=True).order_by("pk").values_list(
        "pk", flat=True).first())


def channel_sends_as(office_id: int | None, kind: str) -> str:
    """Who a message on channel `kind` (email, whatsapp, sms) about a case of `office_id` goes
    out as (issue 18): the office's own channel of that kind when it has a `sends_as` (its
    WhatsApp phone_number_id, its SMS gateway device, its From mailbox), else the central
    intake's, else "" (the instance's settings: WHATSAPP_PHONE_NUMBER_ID, the SMS gateway's
    default device, DEFAULT_FROM_EMAIL). Memoised per process (refcache)."""
    for candidate in (office_id, _central_intake_id()):
        if candidate is not None and (found := _sends_as(candidate, kind)) is not None:
            return found[1]
    return ""


def offices_routable_from(office_id: int) -> tuple[Office, ...]:
    """The offices a case at `office_id` can be routed or forwarded to: every other active
    office on the instance, in name order (memoised)."""
    return refcache.memo(
        ("offices-routable", office_id),
        lambda: tuple(Office.objects.filter(is_active=True).exclude(pk=office_id)
                      .only("id", "code", "name", "short_name", "authority")
                      .order_by("name", "pk")))


@dataclass(frozen=True)
class OfficeSelects:
    """An office's configuration as (id, name) pairs for the desk's selects, in the order the
    models list them: every channel and service type (the inbox filters), the active technical
    units (inbox filter, disposition forms) and the active referral agencies (referral form).
    Memoised per office (core/refcache.py), so rendering a select costs no query."""

    channels: tuple[tuple[int, str], ...]
    service_types: tuple[tuple[int, str], ...]
    units: tuple[tuple[int, str], ...]
    agencies: tuple[tuple[int, str], ...]


def _build_choices(office_id: int) -> OfficeSelects:
    def pairs(qs: QuerySet) -> tuple[tuple[int, str], ...]:
        return tuple(qs.values_list("id", "name"))

    return OfficeSelects(
        channels=pairs(Channel.objects.filter(office_id=office_id)),
        service_types=pairs(ServiceType.objects.filter(office_id=office_id)),
        units=pairs(Unit.objects.filter(office_id=office_id, is_active=True,
                                        is_complaint_team=False)),
        agencies=pairs(ReferralAgency.objects.filter(office_id=office_id, is_active=True)))


def office_selects(office_id: int) -> OfficeSelects:
    return refcache.memo(("office-selects", office_id), lambda: _build_choices(office_id))
