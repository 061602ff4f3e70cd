"""The administrator sets how long reporters' personal data is kept (UU 27/2022): 1 to 30
years, checked by the form and by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aduan.accounts.testing import login_verified
from aduan.offices.models import Office

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("years", [0, 31])
def test_retention_years_out_of_range_is_refused(office, years):
    office.retention_years = years
    with pytest.raises(ValidationError) as refusal:
        office.full_clean()
    assert "retention_years" in refusal.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office.pk).update(retention_years=years)


def test_administrator_edits_retention_years_in_the_office_admin(client, users, office):
    login_verified(client, users["admin"])
    page = client.get(f"/admin/offices/office/{office.pk}/change/")
    assert page.status_code == 200
    assert b'name="retention_years"' in page.content
    listing = client.get("/admin/offices/office/")
    assert listing.status_code == 200


@pytest.mark.parametrize("years", [1, 5, 30])
def test_retention_years_in_range_is_accepted(office, years):
    office.retention_years = years
    office.full_clean()
    office.save(update_fields=["retention_years"])


def test_office_admin_form_refuses_zero_and_saves_a_period(rf, users, office):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    request = rf.get("/")
    request.user = users["admin"]
    form_class = admin.site._registry[Office].get_form(request, office)
    data = {k: v for k, v in model_to_dict(office).items() if v is not None and k != "logo"}

    refused = form_class(data={**data, "retention_years": "0"}, instance=office)
    assert not refused.is_valid()
    assert list(refused.errors) == ["retention_years"]

    accepted = form_class(data={**data, "retention_years": "7"}, instance=office)
    assert accepted.is_valid(), accepted.errors
    accepted.save()
    office.refresh_from_db()
    assert office.retention_years == 7



def test_office_admin_edits_the_account_security_policy(rf, client, users, office):
    from django.contrib import admin
    from django.forms.models import model_to_dict

    login_verified(client, users["admin"])
    page = client.get(f"/admin/offices/office/{office.pk}/change/")
    assert 'name="two_factor_roles" value="administrator"' in page.text
    request = rf.get("/")
    request.user = users["admin"]
    form_class = admin.site._registry[Office].get_form(request, office)
    data = {k: v for k, v in model_to_dict(office).items() if v is not None and k != "logo"}
    form = form_class(data={**data, "two_factor_roles": ["administrator", "officer"],
                            "session_idle_minutes": "20"}, instance=office)
    assert form.is_valid(), form.errors
    form.save()
    office.refresh_from_db()
    assert office.two_factor_roles == ["administrator", "officer"]
    assert office.session_idle_minutes == 20
    refused = form_class(data={**data, "session_idle_minutes": "1"}, instance=office)
    assert not refused.is_valid()
