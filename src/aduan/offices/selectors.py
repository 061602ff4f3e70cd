"""Read access to office configuration."""

from aduan.offices.models import Channel, Office


def office_get_current() -> Office | None:
    """The office this deployment serves: the first active one (one office per deployment)."""
    return Office.objects.filter(is_active=True).order_by("pk").first()


def channel_list_active(office: Office) -> list[Channel]:
    return list(office.channels.filter(is_active=True).order_by("order", "name"))
