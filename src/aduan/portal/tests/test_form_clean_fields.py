"""ComplaintForm cleans its fields without a BoundField each (issue 17): the same values and
errors as Django's `_clean_fields`, prefixes and disabled fields included."""

from __future__ import annotations

import pytest
from django import forms

from aduan.portal.forms import ComplaintForm

DATA = {
    "name": "Rahmi Ayunda", "nik": "", "address": "Jl. Perwira, Bengkalis",
    "occupation": "Bidan", "phone": "0851-5679-1234", "email": "Ayunda@Example.org",
    "company_name": "", "service_type": "", "subject": "SIP belum terdaftar",
    "description": "  Saya ingin melihat SIP saya sudah terdaftar atau belum.  ",
    "consent": "on", "website": "", "form_token": "t",
}


def django_cleaned(form: ComplaintForm) -> tuple[dict, dict]:
    """What Django's own `_clean_fields` makes of the same form."""
    form.cleaned_data = {}
    form._errors = forms.utils.ErrorDict()
    forms.Form._clean_fields(form)
    return form.cleaned_data, form._errors.get_json_data()


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", [
    {},
    {"phone": "12", "email": "not-an-address", "nik": "1234", "description": ""},
    {"is_anonymous": "on", "nik": "1234", "name": "", "consent": ""},
    {"service_type": "999999", "subject": "x" * 400},
])
def test_the_same_values_and_errors_as_djangos_clean_fields(office, overrides):
    data = DATA | overrides
    ours = ComplaintForm(data, office=office)
    ours.cleaned_data = {}
    ours._errors = forms.utils.ErrorDict()
    ours._clean_fields()
    assert (ours.cleaned_data, ours._errors.get_json_data()) == django_cleaned(
        ComplaintForm(data, office=office))


@pytest.mark.django_db
def test_only_the_file_field_builds_a_bound_field(office):
    form = ComplaintForm(DATA, office=office)
    assert form.is_valid(), form.errors
    assert set(form._bound_fields_cache) == {"attachments"}
    assert form.cleaned_data["phone"] == "+6285156791234"
    assert form.cleaned_data["description"].startswith("Saya")


@pytest.mark.django_db
def test_a_prefix_and_a_disabled_field_as_in_django(office):
    data = {f"p-{k}": v for k, v in DATA.items()} | {"p-subject": "from the post"}
    form = ComplaintForm(data, office=office, prefix="p", initial={"subject": "kept"})
    form.fields["subject"].disabled = True
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subject"] == "kept"  # a disabled field keeps its initial value
    assert form.cleaned_data["name"] == "Rahmi Ayunda"


@pytest.mark.django_db
@pytest.mark.parametrize(("box", "refused"), [
    ("false", True), ("", True), ("on", False), ("true", False)])
def test_the_nik_is_checked_against_the_cleaned_anonymous_box(office, box, refused):
    # A raw "false" is text: the form read it as ticked and skipped the NIK check, which the
    # registration (cleaned box: a named reporter) then refused under another heading.
    form = ComplaintForm(DATA | {"nik": "1234", "is_anonymous": box, "name": "Rahmi"},
                         office=office)
    form.is_valid()
    assert ("nik" in form.errors) is refused
