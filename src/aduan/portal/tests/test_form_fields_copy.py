"""ComplaintForm copies its declared fields per instance as Django's deep copy does (issue 17:
the copy without the copy module's generic walk): every form owns its fields, widgets, attrs,
choices, error messages and validators, and shares nothing a request may change."""

from __future__ import annotations

import copy

import pytest
from django import forms

from aduan.portal.forms import ComplaintForm, _copy_field, _FieldsCopiedPerForm

OWNED = {"widget", "error_messages", "validators", "_queryset"}


def _django_copy(field: forms.Field) -> forms.Field:
    return copy.deepcopy(field)


@pytest.mark.parametrize("name", list(ComplaintForm.base_fields))
def test_each_field_is_copied_as_djangos_deep_copy_copies_it(name):
    base = ComplaintForm.base_fields[name]
    ours, theirs = _copy_field(base), _django_copy(base)
    assert type(ours) is type(theirs) is type(base)
    assert set(vars(ours)) == set(vars(theirs))
    for attribute, value in vars(theirs).items():
        mine = getattr(ours, attribute)
        if attribute in OWNED and value is not None:
            assert mine is not getattr(base, attribute)  # owned by the copy, as Django's
        if attribute == "widget":
            assert type(mine) is type(value)
            assert mine.attrs == value.attrs and mine.attrs is not base.widget.attrs
            assert set(vars(mine)) == set(vars(value))
            if hasattr(value, "choices"):
                assert type(mine.choices) is type(value.choices)
        elif attribute == "_queryset":
            assert (mine is None) == (value is None)
        elif attribute not in OWNED:
            assert mine is getattr(base, attribute) or mine == value
        else:
            assert mine == value


@pytest.mark.django_db
def test_forms_share_nothing_a_request_changes(office):
    first, second = ComplaintForm(office=office), ComplaintForm(office=office)
    first.fields["phone"].widget.attrs["class"] = "is-invalid"
    first.fields["phone"].error_messages["required"] = "changed"
    first.fields["phone"].validators.append(lambda value: None)
    assert "class" not in second.fields["phone"].widget.attrs
    assert "class" not in ComplaintForm.base_fields["phone"].widget.attrs
    assert second.fields["phone"].error_messages["required"] != "changed"
    assert len(second.fields["phone"].validators) == len(
        ComplaintForm.base_fields["phone"].validators)
    assert first.fields["service_type"].queryset is not second.fields["service_type"].queryset
    assert ComplaintForm.base_fields["service_type"].queryset is None
    assert first.fields["description"].widget.attrs["maxlength"]
    assert "maxlength" not in ComplaintForm.base_fields["description"].widget.attrs


def test_a_field_class_with_its_own_copy_goes_through_deepcopy():
    class Custom(forms.CharField):
        def __deepcopy__(self, memo):  # type: ignore[no-untyped-def]
            result = super().__deepcopy__(memo)
            result.copied_by_custom = True
            return result

    fields = _FieldsCopiedPerForm({"custom": Custom(), "choice": forms.ChoiceField(
        choices=[("a", "A")])})
    copied = copy.deepcopy(fields)
    assert type(copied) is dict
    assert copied["custom"].copied_by_custom is True
    assert copied["choice"].choices == [("a", "A")]
    assert copied["choice"]._choices is not fields["choice"]._choices  # ChoiceField's own copy


@pytest.mark.django_db
def test_field_errors_are_still_answered_at_once_in_indonesian(office):
    form = ComplaintForm({"email": "bukan-email", "description": ""}, office=office)
    assert not form.is_valid()
    assert form.errors["email"] == ["Alamat e-mail tidak valid."]
    assert form.errors["description"] == ["Isi pengaduan wajib diisi."]
    assert form.errors["consent"] == ["Persetujuan pemrosesan data pribadi diperlukan."]


@pytest.mark.django_db
def test_a_form_bound_with_errors_leaves_nothing_in_the_next_requests_form(office):
    """What a request's form does to its fields (bound data, errors rendered, the service
    types read) is not seen by the next request's form (review, session 8)."""
    from aduan.offices.models import ServiceType

    fresh = str(ComplaintForm(office=office))
    bound = ComplaintForm({"email": "bukan-email", "nik": "12", "website": "bot",
                           "description": "", "service_type": "999999"}, office=office)
    assert not bound.is_valid()
    rendered = str(bound)
    assert "bukan-email" in rendered and "aria-invalid" in rendered
    bound.fields["service_type"].widget.attrs["disabled"] = True
    list(bound.fields["service_type"].choices)  # the office's types read by this form
    added = ServiceType.objects.create(office=office, code="review-new", name="Izin Ulasan Baru")
    after = ComplaintForm(office=office)
    html = str(after)
    assert "Izin Ulasan Baru" in html  # read afresh, not the other form's rows
    option = f'<option value="{added.pk}">Izin Ulasan Baru</option>'
    assert " ".join(html.replace(option, "").split()) == " ".join(fresh.split())
    assert not after.errors and "aria-invalid" not in html and "bukan-email" not in html
