"""Two-factor login: enforcement per role, enrolment, the code step, backup codes, reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import SecurityEvent, SecurityEventKind, User
from aduan.accounts.testing import login_verified, totp_code, totp_code_unused, totp_device_for
from aduan.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two-factor-verify")
SETUP = reverse("accounts:two-factor-setup")


def password_login(username: str, password: str = DEMO_PASSWORD, **extra) -> Client:
    client = Client(**extra)
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.mark.parametrize("path", ["/desk/", "/admin/", "/admin/accounts/user/",
                                  "/desk/register/", "/desk/laporan/", "/akun/keamanan/"])
def test_administrator_with_a_password_alone_reaches_neither_admin_nor_desk(users, path):
    client = password_login("admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_code_opens_the_desk_and_the_admin(users):
    client = password_login("admin")
    device = totp_device_for(users["admin"])
    response = client.post(VERIFY, {"code": totp_code_unused(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/desk/").status_code == 200


def test_a_wrong_code_is_refused_and_throttled(users):
    client = password_login("ketua")
    device = totp_device_for(users["ketua"])
    good = totp_code(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "Kode salah" in response.text
    assert client.get("/desk/").status_code == 302
    # After a failure django-otp makes the device wait: even the right code is refused now.
    assert "Kode salah" in client.post(VERIFY, {"code": good}).text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a throttled try is not even checked


def test_the_admin_login_page_goes_through_the_staff_login():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_enrolment_then_a_backup_code_works_once(office, make_user):
    user = make_user("baru", _role("officer"))
    user.set_password("Sungai Siak 7 Jembatan")
    user.save()
    client = password_login("baru", "Sungai Siak 7 Jembatan")
    # No device yet and the office requires one: the desk sends the user to enrol.
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    page = client.get(SETUP).text
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert _b32(device) == secret
    assert "Kode tidak cocok" in client.post(SETUP, {"code": "000000"}).text
    device.refresh_from_db()
    device.throttle_reset()  # instead of waiting out django-otp's one-second delay
    response = client.post(SETUP, {"code": totp_code_unused(device), "next": "/desk/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"]).text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    # Shown once: a reload lists none.
    assert not re.findall(r"<li><code>", client.get(reverse("accounts:backup-codes")).text)
    assert client.get("/desk/").status_code == 200
    assert SecurityEvent.objects.filter(user=user,
                                        kind=SecurityEventKind.SECOND_FACTOR_ENROLLED).exists()
    # A new login: the backup code opens it once, and is then used up.
    second = password_login("baru", "Sungai Siak 7 Jembatan")
    assert second.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert second.get("/desk/").status_code == 200
    third = password_login("baru", "Sungai Siak 7 Jembatan")
    assert "Kode salah" in third.post(VERIFY, {"code": codes[0]}).text
    assert third.get("/desk/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_enrolment_cannot_replace_a_device_without_the_code(users):
    client = password_login("petugas")
    # The user has a device: enrolling another one first needs the current code.
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_roles_outside_the_office_setting_may_log_in_with_a_password_only(office, make_user):
    office.two_factor_roles = ["administrator"]
    office.save()
    user = make_user("staf_lain", _role("unit_staff"), "perizinan-a")
    user.set_password("Sungai Siak 7 Jembatan")
    user.save()
    client = password_login("staf_lain", "Sungai Siak 7 Jembatan")
    assert client.get("/desk/").status_code == 200


def test_administrator_resets_a_users_devices_audited(users):
    admin = login_verified(Client(), users["admin"])
    petugas = users["petugas"]
    victim = login_verified(Client(), petugas)
    response = admin.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_second_factor", "_selected_action": [petugas.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=petugas).exists()
    event = SecurityEvent.objects.get(user=petugas, kind=SecurityEventKind.DEVICES_RESET)
    assert event.actor == users["admin"]
    # The user's open sessions end; the next login asks them to enrol again.
    assert victim.get("/desk/").status_code == 302
    client = password_login("petugas")
    assert client.get("/desk/")["Location"].startswith(SETUP)


def test_api_tokens_are_unaffected_by_two_factor(users):
    from aduan.api.services import api_token_create

    _token, secret = api_token_create(user=users["petugas"], name="t")
    response = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def _role(name: str):
    from aduan.accounts.models import Role

    Group.objects.get_or_create(name=name)
    return Role(name)


def _b32(device: TOTPDevice) -> str:
    from aduan.accounts.twofactor import totp_secret_base32

    return totp_secret_base32(device)


def test_user_model_default_freshness_is_for_non_interactive_callers():
    assert User().auth_is_fresh is True
