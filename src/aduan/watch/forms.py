"""Forms of the watch's desk pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.watch.importers import FIELDS, REQUIRED
from aduan.watch.services import MAX_RESULT


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


class MappingForm(forms.Form):
    """One select per field of an application: which column of the file holds it."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(tidak ada)")), *[(h, h) for h in headers]]
        for name, label in FIELDS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=name in REQUIRED)


class ActionForm(forms.Form):
    done_on = forms.DateField(label=_("Tanggal"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    contact = forms.CharField(label=_("Pihak yang dihubungi"), max_length=200, required=False)
    result = forms.CharField(label=_("Hasil"), max_length=MAX_RESULT,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan untuk Kepala Dinas"), max_length=MAX_RESULT,
                           required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Pesan kepada pemohon"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 4}))
