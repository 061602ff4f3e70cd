"""Forms of the data-subject request flow (portal and desk)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.rights.models import RequestKind
from aduan.rights.services import MAX_ANSWER, MAX_DETAIL

KIND_HELP = {
    RequestKind.ACCESS: _("Kami kirimkan data pribadi Anda yang kami simpan."),
    RequestKind.CORRECT: _("Tuliskan data yang salah dan perbaikannya."),
    RequestKind.RESTRICT: _("Identitas Anda hanya terlihat oleh tim pengaduan, tidak oleh bidang "
                            "teknis atau pihak lain."),
    RequestKind.ERASE: _("Data pribadi Anda dihapus setelah pengaduan selesai; catatan "
                         "pengaduan tanpa identitas tetap disimpan untuk statistik."),
}


class StartForm(forms.Form):
    code = forms.CharField(label=_("Kode pelacakan"), max_length=64,
                           error_messages={"required": _("Masukkan kode pelacakan.")})


class VerifyForm(forms.Form):
    challenge = forms.CharField(widget=forms.HiddenInput, max_length=200)
    otp = forms.CharField(
        label=_("Kode verifikasi (6 angka)"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Masukkan kode verifikasi yang kami kirim.")})
    kind = forms.ChoiceField(label=_("Permintaan Anda"), choices=RequestKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Pilih jenis permintaan.")})
    detail = forms.CharField(label=_("Rincian (tidak wajib)"), required=False,
                             max_length=MAX_DETAIL, widget=forms.Textarea(attrs={"rows": 3}))


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=RequestKind.choices,
                             widget=forms.RadioSelect)
    detail = forms.CharField(label=_("Rincian permintaan"), required=False,
                             max_length=MAX_DETAIL, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, choices=[
        ("fulfil", _("Penuhi permintaan")), ("refuse", _("Tolak, dengan alasan"))])
    answer = forms.CharField(label=_("Jawaban kepada pelapor"), max_length=MAX_ANSWER,
                             widget=forms.Textarea(attrs={"rows": 8}),
                             help_text=_("Dikirim ke saluran pelapor."))
    name = forms.CharField(label=_("Nama (perbaikan)"), required=False, max_length=200)
    address = forms.CharField(label=_("Alamat (perbaikan)"), required=False, max_length=2000)
    occupation = forms.CharField(label=_("Pekerjaan (perbaikan)"), required=False,
                                 max_length=200)
    phone = forms.CharField(label=_("Telepon (perbaikan)"), required=False, max_length=30)
    email = forms.CharField(label=_("E-mail (perbaikan)"), required=False, max_length=254)


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    description = forms.CharField(label=_("Uraian kejadian"),
                                  widget=forms.Textarea(attrs={"rows": 4}))
    discovered_at = forms.DateTimeField(
        label=_("Diketahui pada"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Batas 3 × 24 jam dihitung dari saat ini."))
    data_concerned = forms.CharField(label=_("Data pribadi yang terdampak"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("Upaya penanganan dan pemulihan"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    scope_start = forms.DateField(label=_("Pengaduan diterima sejak"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    scope_end = forms.DateField(label=_("Pengaduan diterima sampai"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    scope_channel = forms.ModelChoiceField(label=_("Saluran"), required=False,
                                           queryset=None)  # type: ignore[arg-type]
    scope_unit = forms.ModelChoiceField(label=_("Bidang"), required=False,
                                        queryset=None)  # type: ignore[arg-type]
    scope_case = forms.CharField(label=_("Nomor register pengaduan"), required=False,
                                 max_length=100)

    def __init__(self, *args: object, office_id: int, **kwargs: object) -> None:
        from aduan.offices.models import Channel, Unit

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope_channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            office_id=office_id).order_by("name")
        self.fields["scope_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            office_id=office_id).order_by("name")

    def clean(self) -> dict:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("scope_start", "scope_end", "scope_channel",
                                         "scope_unit", "scope_case")):
            raise forms.ValidationError(_("Tentukan cakupan: rentang tanggal, saluran, bidang "
                                          "atau nomor pengaduan."))
        return data


class BreachNoticesForm(forms.Form):
    reporter_notice = forms.CharField(label=_("Pemberitahuan kepada pelapor"), max_length=10000,
                                      widget=forms.Textarea(attrs={"rows": 10}))
    authority_notice = forms.CharField(label=_("Pemberitahuan kepada lembaga pengawas"),
                                       max_length=20000,
                                       widget=forms.Textarea(attrs={"rows": 14}))
