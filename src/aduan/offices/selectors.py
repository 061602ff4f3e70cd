"""Read access to office configuration (memoised per process, see core/refcache.py)."""

from aduan.core import refcache
from aduan.offices.models import Channel, ChannelKind, Office


def office_get_current() -> Office | None:
    """The office this deployment serves: the first active one (one office per deployment).

    A shared, memoised instance: read it, do not modify it."""
    return refcache.memo(
        ("office-current",),
        lambda: Office.objects.filter(is_active=True).order_by("pk").first())


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
