"""Staff in several offices (issue 18): the office switcher, over HTTP.

A user is an officer in office A (home) and unit staff of unit U in office B (a Membership).
In A they see A's whole inbox; after switching to B only U's cases; an office without a
membership is refused and changes nothing; a revoked membership falls back to A."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aduan.accounts.memberships import SESSION_OFFICE
from aduan.accounts.models import Membership, Role, SecurityEvent, SecurityEventKind, User
from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint
from aduan.complaints.tests.factories import register_complaint
from aduan.offices.models import Channel, ChannelKind, Office, Unit

pytestmark = pytest.mark.django_db


def make_office(code: str, name: str) -> Office:
    other = Office.objects.create(code=code, name=name, short_name=code.upper(), city="Lain")
    Unit.objects.create(office=other, code="u", name=f"Bidang U {code}")
    Unit.objects.create(office=other, code="v", name=f"Bidang V {code}")
    Channel.objects.create(office=other, code="sms_wa", name="WhatsApp",
                           kind=ChannelKind.WHATSAPP)
    return other


@pytest.fixture
def office_b(office) -> Office:
    return make_office("dinas-b", "Dinas Bee")


@pytest.fixture
def multi(make_user, office_b) -> User:
    user = make_user("multi", Role.OFFICER)
    Membership.objects.create(user=user, office=office_b, unit=office_b.units.get(code="u"),
                              roles=[Role.UNIT_STAFF.value])
    return user


@pytest.fixture
def cases(office, office_b) -> dict[str, Complaint]:
    a = register_complaint(office, subject="Kasus kantor A")
    b_u = register_complaint(office_b, subject="Kasus B bidang U")
    b_v = register_complaint(office_b, subject="Kasus B bidang V")
    Complaint.objects.filter(pk=b_u.pk).update(unit=office_b.units.get(code="u"))
    Complaint.objects.filter(pk=b_v.pk).update(unit=office_b.units.get(code="v"))
    return {"a": a, "b_u": b_u, "b_v": b_v}


def inbox(client: Client) -> str:
    response = client.get(reverse("desk:inbox"))
    assert response.status_code == 200
    return response.content.decode()


def switch(client: Client, office: Office | int | str) -> int:
    value = office.pk if isinstance(office, Office) else office
    return client.post(reverse("accounts:office-switch"), {"office": value}).status_code


def detail(client: Client, complaint: Complaint) -> int:
    return client.get(reverse("desk:complaint-detail", args=[complaint.pk])).status_code


def test_home_office_then_switch_scopes_to_the_membership(client, multi, office, office_b,
                                                          cases):
    login_verified(client, multi)
    page = inbox(client)
    assert "Kasus kantor A" in page
    assert "Kasus B bidang" not in page
    assert 'class="office-switch"' in page  # more than one office: the switcher is there
    assert detail(client, cases["a"]) == 200

    assert switch(client, office_b) == 302
    page = inbox(client)
    assert "Kasus B bidang U" in page
    assert "Kasus B bidang V" not in page  # unit staff: only their unit
    assert "Kasus kantor A" not in page
    assert detail(client, cases["b_u"]) == 200
    assert detail(client, cases["b_v"]) == 404
    assert detail(client, cases["a"]) == 404

    event = SecurityEvent.objects.get(user=multi, kind=SecurityEventKind.OFFICE_SWITCHED)
    assert event.data == {"from": office.pk, "to": office_b.pk}

    # The roles of the membership apply: unit staff cannot record a complaint in B.
    assert client.get(reverse("desk:complaint-record")).status_code in (403, 404)

    assert switch(client, office) == 302  # back home
    page = inbox(client)
    assert "Kasus kantor A" in page and "Kasus B bidang" not in page
    assert client.get(reverse("desk:complaint-record")).status_code == 200


def test_switch_to_an_office_without_membership_is_refused(client, multi, office, office_b,
                                                           cases):
    office_c = make_office("dinas-c", "Dinas Cee")
    register_complaint(office_c, subject="Kasus kantor C")
    login_verified(client, multi)
    assert switch(client, office_b) == 302
    for value in (office_c.pk, 999999, "abc", "", str(office_b.pk) + "x"):
        assert switch(client, value) == 404
    assert client.session[SESSION_OFFICE] == office_b.pk  # nothing changed
    page = inbox(client)
    assert "Kasus B bidang U" in page and "Kasus kantor C" not in page
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.OFFICE_SWITCHED).count() == 1


def test_switch_needs_post_and_csrf(multi, office_b):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, multi)
    url = reverse("accounts:office-switch")
    assert client.get(url, {"office": office_b.pk}).status_code == 405
    assert client.post(url, {"office": office_b.pk}).status_code == 403
    assert SESSION_OFFICE not in client.session


@pytest.mark.parametrize("revoke", ["inactive", "deleted", "office_closed", "unit_moved"])
def test_revoked_membership_falls_back_to_home(client, multi, office, office_b, cases, revoke):
    login_verified(client, multi)
    assert switch(client, office_b) == 302
    assert "Kasus B bidang U" in inbox(client)
    membership = Membership.objects.get(user=multi, office=office_b)
    if revoke == "inactive":
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
    elif revoke == "deleted":
        membership.delete()
    elif revoke == "office_closed":
        Office.objects.filter(pk=office_b.pk).update(is_active=False)
    else:  # the unit now belongs elsewhere: the membership no longer makes sense
        Unit.objects.filter(pk=membership.unit_id).update(is_active=False)
    page = inbox(client)
    assert "Kasus kantor A" in page and "Kasus B bidang" not in page
    assert SESSION_OFFICE not in client.session
    assert detail(client, cases["b_u"]) == 404


def test_garbage_in_the_session_falls_back_to_home(client, multi, cases):
    login_verified(client, multi)
    for garbage in ("1", [1], True, None, 10**12):
        session = client.session
        session[SESSION_OFFICE] = garbage
        session.save()
        assert "Kasus kantor A" in inbox(client)
        assert SESSION_OFFICE not in client.session


def test_single_office_user_sees_no_switcher(client, officer, cases):
    login_verified(client, officer)
    page = inbox(client)
    assert "office-switch" not in page
    assert "Kasus kantor A" in page


def test_saving_the_user_in_another_office_keeps_the_home_membership(client, multi, office,
                                                                     office_b):
    """A request in office B that saves the user (password change, last login) must not
    write B or B's unit over the home office."""
    login_verified(client, multi)
    assert switch(client, office_b) == 302
    response = client.post(reverse("accounts:password-change"), {
        "old_password": "x-test-pass-123", "new_password1": "Sangat-rahasia-2025!x",
        "new_password2": "Sangat-rahasia-2025!x"})
    assert response.status_code == 302
    multi.refresh_from_db()
    assert multi.office_id == office.pk and multi.unit_id is None
    assert multi.check_password("Sangat-rahasia-2025!x")
    assert set(multi.groups.values_list("name", flat=True)) == {Role.OFFICER.value}


def test_target_office_policy_applies_after_the_switch(client, multi, office, office_b):
    """The second factor is the TARGET office's rule: A requires none for officers, B requires
    it for unit staff; a user without an authenticator is sent to set one up in B."""
    office.two_factor_roles = []
    office.save()
    office_b.two_factor_roles = [Role.UNIT_STAFF.value]
    office_b.save()
    client.force_login(multi)  # no second factor at all
    assert client.get(reverse("desk:inbox")).status_code == 200
    assert switch(client, office_b) == 302
    response = client.get(reverse("desk:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    # Back in A (the switch itself is an account page), the desk opens again.
    assert switch(client, office) == 302
    assert client.get(reverse("desk:inbox")).status_code == 200


def test_membership_validation(multi, office, office_b):
    from django.core.exceptions import ValidationError

    bad_unit = Membership(user=multi, office=office_b, unit=office.units.first(),
                          roles=[Role.OFFICER.value])
    with pytest.raises(ValidationError):
        bad_unit.full_clean(validate_constraints=False)
    home = Membership(user=multi, office=office, roles=[Role.OFFICER.value])
    with pytest.raises(ValidationError):
        home.full_clean()
    for roles in ([], ["root"], "officer", [1]):
        with pytest.raises(ValidationError):
            Membership(user=multi, office=make_office(f"x{len(str(roles))}", "X"),
                       roles=roles).full_clean()


def test_admin_adds_a_membership_inline_and_it_is_logged(users, office, office_b):
    admin = login_verified(Client(), users["admin"])
    kadis = users["kadis"]
    url = reverse("admin:accounts_user_change", args=[kadis.pk])
    form = admin.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update({"groups": list(kadis.groups.values_list("pk", flat=True)),
                 "user_permissions": [], "date_joined_0": "2025-01-01",
                 "date_joined_1": "08:00:00", "last_login_0": "", "last_login_1": "",
                 "office": kadis.office_id, "unit": "", "must_change_password": "",
                 "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
                 "memberships-0-office": office_b.pk,
                 "memberships-0-unit": office.units.first().pk,  # A's unit: refused
                 "memberships-0-roles": [Role.HEAD.value], "memberships-0-is_active": "on"})
    assert admin.post(url, data).status_code == 200
    assert not Membership.objects.exists()
    data["memberships-0-unit"] = ""
    assert admin.post(url, data).status_code == 302
    membership = Membership.objects.get(user=kadis)
    assert membership.office == office_b and membership.roles == [Role.HEAD.value]
    event = SecurityEvent.objects.get(user=kadis, kind=SecurityEventKind.ROLES_CHANGED)
    assert event.data["memberships_from"] == []
    assert event.data["memberships_to"] == [{"office": office_b.pk, "unit": None,
                                             "roles": ["head"], "active": True}]
