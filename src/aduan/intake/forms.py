"""Forms of the inbound desk pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.offices.models import Classification


class LaporRecordForm(forms.Form):
    tracking_id = forms.CharField(label=_("ID laporan LAPOR!"), max_length=50,
                                  help_text=_("Nomor tiket dari aplikasi SP4N-LAPOR!"))
    received_on = forms.DateField(label=_("Tanggal disposisi ke kantor"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    classification = forms.ChoiceField(label=_("Klasifikasi"), choices=Classification.choices)
    subject = forms.CharField(label=_("Judul laporan"), max_length=300, required=False)
    description = forms.CharField(label=_("Isi laporan"), widget=forms.Textarea(
        attrs={"rows": 6}))
    service_text = forms.CharField(label=_("Jenis perizinan"), max_length=120, required=False)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=200, required=False)
    phone = forms.CharField(label=_("Nomor HP pelapor"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail pelapor"), required=False)
    is_anonymous = forms.BooleanField(
        label=_("Anonim"), required=False,
        help_text=_("Identitas pelapor tidak disimpan."))
    is_secret = forms.BooleanField(
        label=_("Rahasia"), required=False,
        help_text=_("Seluruh laporan tersembunyi dari publik."))

    def clean_received_on(self):  # type: ignore[no-untyped-def]
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return day


class LaporImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas ekspor (CSV atau XLSX)"))


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Catatan penanganan"), widget=forms.Textarea(
        attrs={"rows": 2}))


class RegisterForm(forms.Form):
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=200, required=False)
    description = forms.CharField(label=_("Isi pengaduan"), widget=forms.Textarea(
        attrs={"rows": 5}))
