"""The permit type chosen on the web form is checked against the office's memoised active types
(offices.selectors.service_types_active), not by a query per submission (issue 17, the shared
harness posts one): the same choices accepted and refused as Django's ModelChoiceField."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.complaints.models import SubmissionKey
from aduan.complaints.submissions import submission_register
from aduan.offices.models import Office, ServiceType
from aduan.portal.forms import ComplaintForm

pytestmark = pytest.mark.django_db

URL = reverse("portal:submit")
DB_TASKS = {"default": {"BACKEND": "aduan.core.taskbackend.DatabaseBackend",
                        "QUEUES": ["default"]}}


def _active(office: Office) -> ServiceType:
    return ServiceType.objects.filter(office=office, is_active=True).order_by("pk").first()


def test_a_chosen_permit_type_costs_no_query(portal_office, form_data, settings):
    settings.TASKS = DB_TASKS
    settings.ADUAN_REFCACHE_SECONDS = 60  # as in production: the version is trusted a while
    chosen = _active(portal_office)
    client = Client()
    assert client.post(URL, form_data(service_type=str(chosen.pk))).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, form_data(service_type=str(chosen.pk),
                                              phone="0812-6861-0007"))
    assert response.status_code == 302, response.content.decode()[:2000]
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if "servicetype" in s.lower()], statements
    row = SubmissionKey.objects.order_by("-pk").first()
    complaint = submission_register(row.pk)
    assert complaint.service_type_id == chosen.pk


@pytest.mark.parametrize("posted", ["", " ", "abc", "0", "99999999", "1.5", "1\x00"])
def test_the_same_choices_as_django_s_field(portal_office, posted):
    memo = ComplaintForm(office=portal_office).fields["service_type"]
    plain = ComplaintForm(office=portal_office).fields["service_type"]
    plain.office_id = None  # Django's ModelChoiceField: queryset.get(pk=...)
    values = [posted] + [str(st.pk) for st in ServiceType.objects.all()]
    for value in values:
        outcomes = []
        for field in (memo, plain):
            try:
                outcomes.append(("ok", field.clean(value)))
            except Exception as exc:  # compared below
                outcomes.append(("error", getattr(exc, "code", type(exc).__name__)))
        assert outcomes[0] == outcomes[1], (value, outcomes)


def test_an_inactive_or_other_office_s_type_is_refused(portal_office, form_data):
    other = Office.objects.exclude(pk=portal_office.pk).first()
    foreign = (ServiceType.objects.create(office=other, name="Izin Lain", code="LAIN",
                                          is_active=True) if other else None)
    retired = ServiceType.objects.create(office=portal_office, name="Izin Lama", code="LAMA",
                                         is_active=False)
    for st in (foreign, retired):
        if st is None:
            continue
        response = Client().post(URL, form_data(service_type=str(st.pk)))
        assert response.status_code == 422
        assert SubmissionKey.objects.count() == 0


def test_a_type_deactivated_now_is_refused_at_once(portal_office, form_data, settings):
    settings.ADUAN_REFCACHE_SECONDS = 60
    chosen = _active(portal_office)
    client = Client()
    assert client.post(URL, form_data(service_type=str(chosen.pk))).status_code == 302
    chosen.is_active = False
    chosen.save()  # this process's memo is cleared by the save
    assert client.post(URL, form_data(service_type=str(chosen.pk),
                                      phone="0812-6861-0008")).status_code == 422
