"""Forms of the public portal: they parse and give field-level messages; the rules (NIK,
phone, length, file content) live in services and validators."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import ChoiceWidget
from django.utils.translation import gettext_lazy as _

from aduan.complaints.attachments import MAX_ATTACHMENTS
from aduan.complaints.services import MAX_DESCRIPTION, ReporterInput
from aduan.core.validators import normalize_phone, validate_nik
from aduan.ikm.forms import element_field
from aduan.ikm.scoring import ELEMENT_CODES, ELEMENTS, SCALE, Element
from aduan.offices.models import Office, ServiceType
from aduan.offices.selectors import service_types_active
from aduan.portal.services import Submission


@functools.cache
def _active_service_types(office_id: int):  # type: ignore[no-untyped-def]
    """The office's active permit types, as a query built once per process (the field clones
    it, so it is never evaluated here; building the filter cost a tenth of a submission's
    CPU)."""
    return ServiceType.objects.filter(office_id=office_id, is_active=True).order_by("name")


def _copy_widget(widget: forms.Widget) -> forms.Widget:
    """What `Widget.__deepcopy__` (and `ChoiceWidget`'s) make: a new widget with its own attrs
    (and choices), the rest shared; any other widget class through copy.deepcopy."""
    copier = type(widget).__deepcopy__
    if copier is not forms.Widget.__deepcopy__ and copier is not ChoiceWidget.__deepcopy__:
        return copy.deepcopy(widget)
    new = object.__new__(type(widget))
    new.__dict__.update(widget.__dict__)
    new.attrs = widget.attrs.copy()
    if copier is ChoiceWidget.__deepcopy__:  # ChoiceWidget's
        new.choices = copy.copy(widget.choices)  # type: ignore[attr-defined]
    return new


def _copy_field(field: forms.Field) -> forms.Field:
    """What `Field.__deepcopy__` (and `ModelChoiceField`'s) make, without the copy module's
    generic machinery: a new field with its own widget, error messages and validators (and
    a fresh queryset); any other field class through copy.deepcopy."""
    copier = type(field).__deepcopy__
    if copier is not forms.Field.__deepcopy__ and copier is not forms.ModelChoiceField.__deepcopy__:
        return copy.deepcopy(field)
    new = object.__new__(type(field))
    new.__dict__.update(field.__dict__)
    new.widget = _copy_widget(field.widget)
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    if copier is forms.ModelChoiceField.__deepcopy__ and field.queryset is not None:  # type: ignore[attr-defined]
        new.queryset = field.queryset.all()  # type: ignore[attr-defined]
    return new


class _FieldsCopiedPerForm(dict):  # type: ignore[type-arg]
    """A form class's `base_fields`, which every form instance deep-copies in
    `BaseForm.__init__`: the same copies field by field, about five times cheaper than the
    copy module walking 16 fields and their widgets (a tenth of a web submission's CPU went
    to it; issue 17)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _copy_field(field) for name, field in self.items()}


class ServiceTypeField(forms.ModelChoiceField):
    """The office's permit type, its choices listed from the queryset (when the form is
    rendered) but a posted id checked against the office's memoised active types
    (offices.selectors.service_types_active): the same choice ModelChoiceField's
    `queryset.get(pk=...)` finds, without that query in every submission (issue 17). Set
    `office_id` for that; without it, Django's query."""

    office_id: int | None = None

    def to_python(self, value: object) -> ServiceType | None:
        if self.office_id is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, ServiceType):
            value = value.pk
        try:
            chosen = service_types_active(self.office_id).get(int(value))  # type: ignore[call-overload]
        except (ValueError, TypeError):
            chosen = None
        if chosen is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return chosen


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=200, required=False)
    nik = forms.CharField(label=_("NIK (opsional)"), max_length=40, required=False,
                          help_text=_("16 digit angka sesuai KTP."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                        "autocomplete": "off"}))
    address = forms.CharField(label=_("Alamat"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=200, required=False)
    phone = forms.CharField(label=_("Nomor HP/WhatsApp"), max_length=40, required=False,
                            help_text=_("Contoh: 0812-6861-0005"),
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             error_messages={"invalid": _("Alamat e-mail tidak valid.")},
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    company_name = forms.CharField(label=_("Nama perusahaan/usaha (jika ada)"), max_length=200,
                                   required=False)
    service_type = ServiceTypeField(label=_("Jenis perizinan/layanan"),
                                          # set per office in __init__ (one clone, not two)
                                          queryset=None, required=False,
                                          empty_label=_("— Pilih jika ada —"))
    subject = forms.CharField(label=_("Perihal"), max_length=300, required=False,
                              help_text=_("Ringkas, misalnya: SIP bidan belum terbit."))
    description = forms.CharField(
        label=_("Isi pengaduan"), widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Isi pengaduan wajib diisi.")},
        help_text=_("Ceritakan apa yang terjadi, kapan, dan nomor permohonan bila ada."))
    attachments = MultipleFileField(
        label=_("Lampiran (opsional)"), required=False,
        widget=MultipleFileInput(attrs={
            "accept": ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,application/pdf,image/*"}),
        help_text=_("PDF, JPG, PNG, WebP, DOCX atau XLSX; paling banyak %(n)s berkas, "
                    "masing-masing maksimal 10 MB.") % {"n": MAX_ATTACHMENTS})
    is_anonymous = forms.BooleanField(
        label=_("Kirim tanpa identitas (anonim)"), required=False,
        help_text=_("Nama, NIK, alamat dan pekerjaan tidak disimpan. Isi nomor HP atau "
                    "e-mail bila ingin menerima jawaban."))
    is_confidential = forms.BooleanField(
        label=_("Rahasiakan identitas saya"), required=False,
        help_text=_("Identitas hanya dapat dilihat oleh petugas pengaduan."))
    consent = forms.BooleanField(
        label=_("Saya setuju data pribadi saya diproses untuk menangani pengaduan ini "
                "(UU 27/2022 tentang Pelindungan Data Pribadi)."),
        error_messages={"required": _("Persetujuan pemrosesan data pribadi diperlukan.")})
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field.
    website = forms.CharField(required=False, label=_("Jangan diisi"),
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, office: Office | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if office is not None:
            field = self.fields["service_type"]
            field.queryset = _active_service_types(office.pk)  # type: ignore[attr-defined]
            field.office_id = office.pk  # type: ignore[attr-defined]
        else:
            self.fields["service_type"].queryset = ServiceType.objects.none()  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs["maxlength"] = str(MAX_DESCRIPTION)

    def _clean_fields(self) -> None:
        """Django's `BaseForm._clean_fields` without building a BoundField per field: each
        field's value read from the data as `BoundField.data` reads it (the widget, the
        prefixed name), cleaned, then the form's `clean_<name>`. A disabled field and a file
        field (whose clean needs the bound field's initial value) go through Django's bound
        field as before. The sixteen bound fields were a twentieth of an accepted web
        submission's instructions (issue 17); a form shown again builds them when rendered."""
        for name, field in self.fields.items():
            try:
                if field.disabled or (type(field)._clean_bound_field
                                      is not forms.Field._clean_bound_field):
                    value = field._clean_bound_field(self[name])
                else:
                    value = field.clean(
                        self._widget_data_value(field.widget, self.add_prefix(name)))
                self.cleaned_data[name] = value
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as e:
                self.add_error(name, e)

    def clean_nik(self) -> str:
        # Checked in clean(), against the cleaned "anonymous" box (a raw "false" is not ticked).
        return self.cleaned_data["nik"].strip().replace(" ", "")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalize_phone(phone) if phone else ""

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) > MAX_DESCRIPTION:
            raise ValidationError(
                _("Isi pengaduan terlalu panjang: %(n)s karakter, maksimal %(max)s karakter. "
                  "Lampirkan uraian panjang sebagai berkas PDF atau DOCX.")
                % {"n": f"{len(text):,}".replace(",", "."),
                   "max": f"{MAX_DESCRIPTION:,}".replace(",", ".")})
        return text

    def clean(self) -> dict:
        data = super().clean() or {}
        if (nik := data.get("nik")) and not data.get("is_anonymous"):
            try:
                validate_nik(nik)
            except ValidationError as error:
                self.add_error("nik", error)
        if not data.get("is_anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("Nama wajib diisi, atau pilih kirim tanpa identitas."))
        if not data.get("phone") and not data.get("email") and not data.get("is_anonymous"):
            self.add_error("phone", _("Isi nomor HP atau e-mail agar nomor pengaduan dan "
                                      "jawaban dapat dikirim kepada Anda."))
        return data

    def reporter_input(self) -> ReporterInput:
        d = self.cleaned_data
        return ReporterInput(
            name=d["name"], nik=d["nik"], address=d["address"], occupation=d["occupation"],
            phone=d["phone"], email=d["email"], is_anonymous=d["is_anonymous"],
            is_confidential=d["is_confidential"], consent=d["consent"],
            consent_basis="consent")

    def submission(self) -> Submission:
        d = self.cleaned_data
        return Submission(subject=d["subject"], description=d["description"],
                          company_name=d["company_name"], service_type=d["service_type"])


ComplaintForm.base_fields = _FieldsCopiedPerForm(ComplaintForm.base_fields)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Kode pelacakan"), max_length=64,
                           error_messages={"required": _("Masukkan kode pelacakan.")},
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "autocapitalize": "off",
                                                         "spellcheck": "false"}))


class SatisfactionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    agree = forms.BooleanField(
        label=_("Saya menyatakan puas atas penyelesaian pengaduan ini."),
        error_messages={"required": _("Centang pernyataan puas untuk melanjutkan.")})


class ReopenForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(
        label=_("Mengapa Anda belum puas?"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan alasan Anda belum puas.")})


class RatingForm(forms.Form):
    """The IKM survey of PermenPANRB 14/2017: the nine elements u1..u9, each 1-4, and a comment.

    The track page renders it from `rating_questions` (plain inputs, no bound form on the hot
    path); a bound form is rendered only when it comes back with errors."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    comment = forms.CharField(label=_("Saran (opsional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for element in ELEMENTS:
            self.fields[element.code] = element_field(element)
        self.order_fields(["code", *ELEMENT_CODES, "comment"])

    def elements(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in ELEMENT_CODES}


@dataclass(frozen=True)
class RatingQuestion:
    """One element as the rating partial draws it: answers with their checked state and the
    element's errors, from the returned form (or blank)."""

    element: Element
    answers: list[tuple[int, str, bool]]
    errors: list[str]


def rating_questions(form: RatingForm | None = None) -> list[RatingQuestion]:
    questions = []
    for element in ELEMENTS:
        chosen = form.data.get(element.code) if form is not None else None
        errors = list(form.errors.get(element.code, [])) if form is not None else []
        questions.append(RatingQuestion(
            element=element, errors=errors,
            answers=[(value, str(answer), chosen == str(value))
                     for value, answer in zip(SCALE, element.answers, strict=True)]))
    return questions


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari"), max_length=200, required=False)
