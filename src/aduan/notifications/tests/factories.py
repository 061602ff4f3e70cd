"""Complaints registered through the real service, for outbox tests."""

from __future__ import annotations

from aduan.complaints import services


def register(
    office,
    channel,
    *,
    email: str = "",
    phone: str = "",
    name: str = "Rina Wati",
    anonymous: bool = False,
    description: str = "Izin praktik bidan belum terbit.",
    **kwargs,
):
    return services.complaint_register(
        office=office,
        channel=channel,
        subject="SIP bidan",
        description=description,
        reporter=services.ReporterInput(
            name=name, email=email, phone=phone, is_anonymous=anonymous, consent=True
        ),
        **kwargs,
    )
