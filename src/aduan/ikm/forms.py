"""The public survey form (SKM, PermenPANRB 14/2017): the nine elements, the respondent
profile, the service used, and the portal's bot defences (a signed single-use form token and a
honeypot)."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aduan.ikm.models import AgeBand, Education, Occupation, Sex
from aduan.ikm.scoring import ELEMENT_CODES, ELEMENTS, SCALE, Element
from aduan.offices.models import Office, ServiceType


def element_field(element: Element) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=element.question, coerce=int, widget=forms.RadioSelect,
        choices=[(value, answer) for value, answer in zip(SCALE, element.answers, strict=True)],
        error_messages={
            "required": format_lazy(_("Pilih jawaban untuk {label} ({name})."),
                                    label=element.label, name=element.name),
            "invalid_choice": format_lazy(_("Jawaban untuk {label} harus 1 sampai 4."),
                                          label=element.label)})


def _choice(label: str, choices: list, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                             error_messages={"required": message,
                                             "invalid_choice": message})


class SurveyForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    website = forms.CharField(required=False, max_length=200, label=_("Situs web"))
    service_type = forms.ModelChoiceField(
        label=_("Layanan yang Anda terima (opsional)"), queryset=ServiceType.objects.none(),
        required=False, empty_label=_("— pilih layanan —"))
    age_band = _choice(_("Usia"), AgeBand.choices, _("Pilih kelompok usia Anda."))
    sex = _choice(_("Jenis kelamin"), Sex.choices, _("Pilih jenis kelamin Anda."))
    education = _choice(_("Pendidikan terakhir"), Education.choices,
                        _("Pilih pendidikan terakhir Anda."))
    occupation = _choice(_("Pekerjaan utama"), Occupation.choices,
                         _("Pilih pekerjaan utama Anda."))
    comment = forms.CharField(label=_("Saran (opsional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service_type"].queryset = (  # type: ignore[attr-defined]
            ServiceType.objects.filter(office=office, is_active=True).order_by("name"))
        for element in ELEMENTS:
            self.fields[element.code] = element_field(element)
        self.order_fields(["form_token", "website", "service_type", *ELEMENT_CODES, "age_band",
                           "sex", "education", "occupation", "comment"])

    def elements(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in ELEMENT_CODES}

    def element_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in ELEMENT_CODES]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("age_band", "sex", "education", "occupation")]
