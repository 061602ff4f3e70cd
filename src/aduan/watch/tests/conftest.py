"""Fixtures of the watch tests: applications placed at a chosen point of their SOP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aduan.offices.calendar import calendar_for_office
from aduan.watch.importers import import_rows


def working_days_ago(office, days: int, *, today: dt.date | None = None) -> dt.date:
    """The date `days` working days before `today` on the office calendar."""
    calendar = calendar_for_office(office.pk)
    day = today or timezone.localdate()
    while days > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


@pytest.fixture
def make_apps(office):
    """Import rows (field -> value) through the real pipeline; returns the outcome."""

    def _make(*rows: dict, today: dt.date | None = None):
        return import_rows(office.pk, list(enumerate(rows, start=2)), source="test",
                           today=today)

    return _make


def app_row(number: str, *, complete_on: dt.date | None, permit_type: str = "Izin Apotek",
            holder: str = "Dinas Kesehatan", **extra) -> dict:
    row = {"number": number, "applicant_name": "Apotek Sehat Sentosa",
           "phone": "0812-6861-0077", "email": "apotek.sehat@contoh.id", "nib": "",
           "permit_type": permit_type,
           "submitted_on": (complete_on or timezone.localdate()) - dt.timedelta(days=3),
           "complete_on": complete_on, "current_step": "Verifikasi teknis",
           "holder": holder, "status": "Proses", "finished_on": None}
    row.update(extra)
    return row
