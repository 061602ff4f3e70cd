"""The period of the regency dashboard: the reports' period form, within the years the
calendar and the date arithmetic of the figures support."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.reports.forms import PeriodForm

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


class RegencyPeriodForm(PeriodForm):
    def clean(self) -> dict:
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, forms.ValidationError(
                    _("Tanggal harus antara tahun 2000 dan 2099.")))
        return data
