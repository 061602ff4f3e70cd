"""The audit view's filter form (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.audit.models import Surface
from aduan.audit.selectors import AuditFilter


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("Pengguna"), max_length=150, required=False)
    surface = forms.ChoiceField(label=_("Bagian"), required=False,
                                choices=[("", _("Semua")), *Surface.choices])
    action = forms.CharField(label=_("Tindakan"), max_length=100, required=False)
    object_id = forms.CharField(label=_("Nomor objek"), max_length=64, required=False)
    status_code = forms.TypedChoiceField(
        label=_("Jawaban"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Semua")), ("403", _("403 ditolak")),
                 ("404", _("404 di luar wewenang"))])
    start = forms.DateField(label=_("Dari tanggal"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai tanggal"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Tanggal awal tidak boleh setelah tanggal akhir."))
        return data

    def to_filter(self) -> AuditFilter:
        d = self.cleaned_data
        return AuditFilter(username=d["username"].strip(), surface=d["surface"],
                           action=d["action"].strip(), object_id=d["object_id"].strip(),
                           status_code=d["status_code"], start=d["start"], end=d["end"])
