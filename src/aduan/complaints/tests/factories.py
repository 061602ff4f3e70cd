"""Factories for the case file; complaints are registered through the real service."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.offices.models import Office

JAKARTA = ZoneInfo("Asia/Jakarta")


class ReporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reporter

    name = factory.Faker("name", locale="id_ID")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    email = factory.Sequence(lambda n: f"pelapor{n}@contoh.id")


def register_complaint(office: Office, *, channel_code: str = "sms_wa",
                       received: dt.datetime | None = None, **kwargs) -> Complaint:
    reporter = kwargs.pop("reporter", None) or ReporterInput(
        name="Siti Aminah", phone="081234567890", email="siti@contoh.id", consent=True)
    return complaint_register(
        office=office,
        channel=office.channels.get(code=channel_code),
        subject=kwargs.pop("subject", "Izin apotek belum selesai"),
        description=kwargs.pop("description", "Sudah 1 bulan izin apotek belum diverifikasi."),
        reporter=reporter,
        received_at=received or dt.datetime(2025, 4, 28, 9, 0, tzinfo=JAKARTA),
        **kwargs,
    )
