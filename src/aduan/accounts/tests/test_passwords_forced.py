"""Demo passwords outside demo mode must be changed before the desk opens."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from aduan.accounts.models import User
from aduan.accounts.testing import login_verified
from aduan.demo.users import DEMO_PASSWORD, load_demo_users

pytestmark = pytest.mark.django_db


@override_settings(ADUAN_DEMO_MODE=False)
def test_demo_accounts_outside_demo_mode_must_change_the_password(office):
    load_demo_users(office)
    user = User.objects.get(username="petugas")
    assert user.must_change_password
    client = login_verified(Client(), user)
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change")
    page = client.get(reverse("accounts:password-change")).text
    assert "kata sandi awal" in page
    # A weak new password is refused with the rules in Indonesian.
    response = client.post(reverse("accounts:password-change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "petugaspetugas",
        "new_password2": "petugaspetugas"})
    assert "tidak boleh memuat nama pengguna" in response.text
    response = client.post(reverse("accounts:password-change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Kopi pagi di Selatpanjang",
        "new_password2": "Kopi pagi di Selatpanjang"})
    assert response.status_code == 302
    assert client.get("/desk/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None


@override_settings(ADUAN_DEMO_MODE=True)
def test_demo_mode_keeps_the_published_password_usable(office):
    load_demo_users(office)
    assert not User.objects.get(username="petugas").must_change_password
    client = login_verified(Client(), User.objects.get(username="petugas"))
    assert client.get("/desk/").status_code == 200


def test_demo_devices_are_created_once_and_printed(office):
    first = load_demo_users(office)
    second = load_demo_users(office)
    assert [d.totp_secret for d in first] == [d.totp_secret for d in second]
    assert all(len(d.totp_secret) == 32 and d.otpauth_uri.startswith("otpauth://totp/")
               for d in first)
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_totp", "petugas", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6
    out = StringIO()
    call_command("demo_totp", "--uri", "admin", stdout=out)
    assert out.getvalue().startswith("otpauth://totp/Aduan%3Aadmin?secret=")
