"""Acceptance (issue 12): enrol an authenticator, log out, log in with password and code; a
wrong code is refused; a backup code works once; the administrator reaches neither the admin
nor the desk with a password alone. Screenshots of enrolment and the code step."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from aduan.accounts.models import User
from aduan.accounts.testing import totp_code, totp_code_unused
from aduan.demo.users import DEMO_PASSWORD
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Kopi pagi di Selatpanjang"


def password_step(page, base: str, username: str, password: str, next_path: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/akun/masuk/{next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.click(".logout-form button")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def new_officer(users) -> User:
    user = User.objects.create_user(username="rina", password=PASSWORD, first_name="Rina",
                                    last_name="Marlina", office=users["petugas"].office)
    user.groups.add(Group.objects.get(name="officer"))
    return user


def test_enrol_log_out_and_log_in_with_password_and_code(page, phone_page, live_server,
                                                         new_officer):
    base = live_server.url
    password_step(page, base, "rina", PASSWORD)
    # No device yet: the office requires one for officers, so enrolment comes first.
    expect(page.locator("h1")).to_have_text("Daftarkan aplikasi autentikator")
    expect(page.locator(".qr-box svg")).to_be_visible()
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    device = TOTPDevice.objects.get(user=new_officer, confirmed=False)
    assert secret and len(secret) == 32
    save_screenshot(page, "accounts-enrol.png", full_page=True)
    page.fill("#id_code", "123456" if totp_code(device) != "123456" else "654321")
    page.click("#setup-submit")
    expect(page.locator("#code-error")).to_contain_text("Kode tidak cocok")
    device.refresh_from_db()
    device.throttle_reset()  # instead of waiting out django-otp's one-second delay
    page.fill("#id_code", totp_code_unused(device))
    page.click("#setup-submit")
    page.wait_for_load_state("networkidle")
    codes = [c.strip() for c in page.locator("#backup-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    save_screenshot(page, "accounts-backup-codes.png", full_page=True)
    page.click("#backup-done")
    expect(page.locator("h1")).to_have_text("Kotak masuk")
    logout(page)

    # Log in again: the password, then a wrong code is refused, then the right code.
    password_step(page, base, "rina", PASSWORD)
    expect(page.locator("h1")).to_have_text("Masukkan kode verifikasi")
    save_screenshot(page, "accounts-code-step.png")
    page.fill("#id_code", "000000" if totp_code(device) != "000000" else "111111")
    page.click("#token-submit")
    expect(page.locator("#code-error")).to_contain_text("Kode salah")
    page.goto(f"{base}/desk/")
    expect(page.locator("h1")).to_have_text("Masukkan kode verifikasi")
    device.refresh_from_db()
    device.throttle_reset()
    page.fill("#id_code", totp_code_unused(device))
    page.click("#token-submit")
    expect(page.locator("h1")).to_have_text("Kotak masuk")
    logout(page)

    # A backup code works once.
    password_step(page, base, "rina", PASSWORD)
    page.fill("#id_code", codes[0])
    page.click("#token-submit")
    expect(page.locator("h1")).to_have_text("Kotak masuk")
    logout(page)
    password_step(page, base, "rina", PASSWORD)
    page.fill("#id_code", codes[0])
    page.click("#token-submit")
    expect(page.locator("#code-error")).to_contain_text("Kode salah")

    # The same pages on a phone.
    phone_page.context.clear_cookies()
    password_step(phone_page, base, "rina", PASSWORD)
    expect(phone_page.locator("#id_code")).to_be_visible()
    save_screenshot(phone_page, "accounts-code-step-phone.png")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_enrolment_page_fits_a_phone(phone_page, live_server, new_officer):
    password_step(phone_page, live_server.url, "rina", PASSWORD)
    expect(phone_page.locator(".qr-box svg")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone_page, "accounts-enrol-phone.png", full_page=True)


def test_administrator_needs_the_code_for_the_admin_and_the_desk(page, live_server, users):
    base = live_server.url
    password_step(page, base, "admin", DEMO_PASSWORD, "?next=/admin/")
    expect(page.locator("h1")).to_have_text("Masukkan kode verifikasi")
    for path in ("/admin/", "/admin/accounts/user/", "/desk/"):
        page.goto(f"{base}{path}")
        expect(page.locator("h1")).to_have_text("Masukkan kode verifikasi")
        assert "/akun/masuk/verifikasi/" in page.url
    device = TOTPDevice.objects.get(user=users["admin"])
    page.fill("#id_code", totp_code_unused(device))
    page.click("#token-submit")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/desk/")
    page.goto(f"{base}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
