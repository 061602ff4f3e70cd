"""Forms of the reports pages: a period, a report request, the office's report texts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.reports.models import ReportKind, ReportProfile
from aduan.reports.services import MAX_PERIOD_DAYS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari tanggal"), widget=DATE_WIDGET,
                            error_messages={"required": _("Isi tanggal awal."),
                                            "invalid": _("Tanggal awal tidak valid.")})
    end = forms.DateField(label=_("Sampai tanggal"), widget=DATE_WIDGET,
                          error_messages={"required": _("Isi tanggal akhir."),
                                          "invalid": _("Tanggal akhir tidak valid.")})

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Periode laporan paling panjang 5 tahun."))
        return data


class ReportRequestForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportKind.choices)


def semester_of(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


class ReportProfileForm(forms.ModelForm):
    class Meta:
        model = ReportProfile
        fields = ["report_title", "foreword", "background", "legal_basis", "purpose", "targets",
                  "scope", "definitions", "activities", "report_intro", "obstacles", "efforts",
                  "closing", "signatory_prefix", "table3_max_rows"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in (
            "foreword", "background", "legal_basis", "purpose", "targets", "scope",
            "definitions", "activities", "report_intro", "obstacles", "efforts", "closing")}
