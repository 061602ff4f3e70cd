"""The Django admin for office B's administrator (issue 18): office A's office, units, channels,
service types, agencies, holidays and staff are not listed, not opened, not changed and not
offered as choices; the shared role groups and superuser status are the operator's. A
superuser still sees every office."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from aduan.accounts.models import User
from aduan.accounts.policy import SESSION_REAUTH_AT
from aduan.accounts.testing import login_verified
from aduan.offices.models import Channel, Holiday, Office, ReferralAgency, ServiceType, Unit


def _admin_client(user: User) -> Client:
    client = login_verified(Client(), user)
    session = client.session
    session[SESSION_REAUTH_AT] = time.time()  # confirmed the password a moment ago
    session.save()
    return client


def _a_rows(world) -> dict[str, tuple[type, int, str]]:
    a = world.a
    return {
        "office": (Office, a.pk, a.name),
        "unit": (Unit, a.units.get(code="perizinan-a").pk, "Bidang Perizinan A"),
        "channel": (Channel, a.channels.get(code="sms_wa").pk, "SMS / WA"),
        "servicetype": (ServiceType, a.service_types.get(code="apotek").pk, "Izin Apotek"),
        "referralagency": (ReferralAgency, a.agencies.get(code="bappenda").pk,
                           "Badan Pendapatan Daerah (Bappenda) Kabupaten Bengkalis"),
        "holiday": (Holiday, world.objects["holiday"], "Cuti bersama kantor A"),
        "user": (User, world.a_users["petugas"].pk, "petugas"),
    }


APP = {"user": "accounts"}


def _url(model: str, pk: int | None = None, action: str = "change") -> str:
    base = f"/admin/{APP.get(model, 'offices')}/{model}/"
    return base if pk is None else f"{base}{pk}/{action}/"


@pytest.mark.parametrize("model", ["office", "unit", "channel", "servicetype",
                                   "referralagency", "holiday", "user"])
def test_b_administrator_does_not_see_or_change_a_rows(world, model):
    client = _admin_client(world.b_users["b_admin"])
    cls, pk, _label = _a_rows(world)[model]
    listing = client.get(_url(model), {"all": ""})
    assert listing.status_code == 200
    body = listing.content.decode()
    # The changelist links every row by its change URL: A's row is not among them.
    assert _url(model, pk) not in body
    # B's own row of the same kind is listed (the test can fail).
    own = {"office": world.b.pk, "unit": world.b.units.get(code="perizinan-a").pk,
           "channel": world.b.channels.get(code="sms_wa").pk,
           "servicetype": world.b.service_types.get(code="apotek").pk,
           "referralagency": world.b.agencies.get(code="bappenda").pk,
           "user": world.b_users["b_petugas"].pk}.get(model)
    if own is not None:
        assert _url(model, own) in body
    # A's row answers as a row that does not exist, for viewing, changing and deleting.
    for action in ("change", "delete", "history"):
        answer = client.get(_url(model, pk, action))
        missing = client.get(_url(model, 987654321, action))
        assert answer.status_code == missing.status_code, action
        assert answer.status_code in (302, 403, 404), action
    before = cls.objects.filter(pk=pk).values().get()
    client.post(_url(model, pk), {"name": "Diubah B", "first_name": "Diubah B"})
    client.post(_url(model, pk, "delete"), {"post": "yes"})
    assert cls.objects.filter(pk=pk).values().get() == before


def test_b_forms_offer_only_b_rows(world):
    client = _admin_client(world.b_users["b_admin"])
    a_unit = world.a.units.get(code="perizinan-a")
    page = client.get(_url("servicetype", None, "") + "add/").content.decode()
    assert f">{a_unit.name}</option>" not in page
    assert f">{world.a.name}</option>" not in page
    assert f">{world.b.name}</option>" in page
    # Posting A's office or unit anyway is refused by the form (not a valid choice).
    response = client.post(_url("servicetype", None, "") + "add/", {
        "office": world.a.pk, "code": "titipan", "name": "Titipan B di A",
        "default_unit": a_unit.pk, "keywords": "", "is_active": "on"})
    assert response.status_code == 200  # the form again, with its errors
    assert not ServiceType.objects.filter(code="titipan").exists()
    response = client.post(_url("user", world.b_users["b_petugas"].pk), {
        "username": "b_petugas", "office": world.a.pk, "unit": a_unit.pk,
        "is_active": "on", "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    world.b_users["b_petugas"].refresh_from_db()
    assert world.b_users["b_petugas"].office_id == world.b.pk


def test_b_administrator_cannot_become_superuser_or_change_role_groups(world):
    admin = world.b_users["b_admin"]
    client = _admin_client(admin)
    page = client.get(_url("user", admin.pk)).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    client.post(_url("user", admin.pk), {
        "username": admin.username, "is_superuser": "on", "is_staff": "on", "is_active": "on",
        "office": world.b.pk, "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    admin.refresh_from_db()
    assert not admin.is_superuser
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="officer")
    perms = set(group.permissions.values_list("pk", flat=True))
    response = client.post(f"/admin/auth/group/{group.pk}/change/",
                           {"name": "officer", "permissions": []})
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == perms
    assert client.get("/admin/offices/office/add/").status_code == 403


def test_a_superuser_sees_every_office(world):
    client = _admin_client(world.a_users["admin"])  # the demo administrator is a superuser
    body = client.get(_url("unit"), {"all": ""}).content.decode()
    assert _url("unit", world.a.units.get(code="perizinan-a").pk) in body
    assert _url("unit", world.b.units.get(code="perizinan-a").pk) in body
