"""Login throttling: per account from any address, per address over all accounts, password
spraying over many accounts from many addresses, one answer for every refusal, and unlock."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from aduan.accounts.models import SecurityEvent, SecurityEventKind, User
from aduan.accounts.testing import login_verified
from aduan.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
SPRAYED = "Musim-Hujan-Bengkalis-2025"


def attempt(username: str, password: str, ip: str) -> tuple[int, str, bool]:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": password})
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", response.text)  # the page's CSRF token
    body = body.replace(f'value="{username}"', 'value="…"')  # the form shows what was typed
    return response.status_code, body, "_auth_user_id" in client.session


@pytest.fixture
def twenty_accounts(office, make_user):
    from aduan.accounts.models import Role

    accounts = [make_user(f"staf{i:02d}", Role.UNIT_STAFF, "perizinan-a") for i in range(20)]
    # Two of them really use the sprayed password.
    for user in (accounts[9], accounts[19]):
        user.set_password(SPRAYED)
        user.save()
    return accounts


def test_one_password_sprayed_over_twenty_accounts_from_twenty_addresses(twenty_accounts):
    results = [attempt(user.username, SPRAYED, f"198.51.100.{i + 1}")
               for i, user in enumerate(twenty_accounts)]
    # Each account and each address failed only once, yet after a few accounts the password
    # is refused everywhere: the accounts that use it are not opened.
    assert not any(logged_in for _, _, logged_in in results)
    assert len({(status, body) for status, body, _ in results}) == 1
    # Other people still log in, from a new address, with their own password.
    assert attempt("staf03", "x-test-pass-123", "203.0.113.5")[2]


def test_the_spray_lock_answers_like_a_wrong_password_even_for_the_right_one(twenty_accounts):
    for i, user in enumerate(twenty_accounts[:settings.ADUAN_LOGIN_SPRAY_LIMIT]):
        attempt(user.username, SPRAYED, f"198.51.100.{i + 1}")
    assert not attempt("staf19", SPRAYED, "198.51.100.200")[2]
    call_command("unlock_login", "--ip", "198.51.100.200", stdout=io.StringIO())
    from aduan.accounts import throttle

    throttle.login_unblock_password(SPRAYED)
    assert attempt("staf19", SPRAYED, "198.51.100.201")[2]


def test_one_address_trying_many_accounts_is_locked_out(twenty_accounts):
    ip = "192.0.2.9"
    for i in range(settings.ADUAN_LOGIN_IP_LIMIT):
        attempt(twenty_accounts[i % 20].username, f"tebakan-ke-{i}-xyz", ip)
    # The right password from that address is now refused; from elsewhere it works.
    assert not attempt("staf03", "x-test-pass-123", ip)[2]
    assert attempt("staf03", "x-test-pass-123", "192.0.2.10")[2]
    call_command("unlock_login", "--ip", ip, stdout=io.StringIO())
    assert attempt("staf03", "x-test-pass-123", ip)[2]


def test_one_account_from_many_addresses_is_locked_and_the_administrator_unlocks_it(users):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt("ketua", f"salah-{i}-abcdef", f"10.9.{i}.1")
    wrong = attempt("ketua", "salah-lagi-abcdef", "10.9.99.1")
    locked = attempt("ketua", DEMO_PASSWORD, "10.9.100.1")
    unknown = attempt("tidak_ada", DEMO_PASSWORD, "10.9.101.1")
    # Wrong password, locked account and unknown user: the same page, nobody logged in.
    assert wrong[:2] == locked[:2] == unknown[:2]
    assert not locked[2]
    assert "Nama pengguna atau kata sandi salah" in locked[1]
    admin = login_verified(Client(), users["admin"])
    response = admin.post(reverse("admin:accounts_user_changelist"), {
        "action": "unlock_login", "_selected_action": [users["ketua"].pk]})
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(user=users["ketua"], actor=users["admin"],
                                        kind=SecurityEventKind.LOGIN_UNLOCKED).exists()
    assert attempt("ketua", DEMO_PASSWORD, "10.9.102.1")[2]


def test_the_unknown_user_answer_matches_the_wrong_password_answer(users):
    assert attempt("tidak_ada", "apa-saja-12345", "10.1.1.1")[:2] == attempt(
        "petugas", "apa-saja-12345", "10.1.1.2")[:2]


def test_inactive_user_gets_the_same_answer(users):
    User.objects.filter(username="kadis").update(is_active=False)
    assert attempt("kadis", DEMO_PASSWORD, "10.1.1.3")[:2] == attempt(
        "kadis", "apa-saja-12345", "10.1.1.4")[:2]
