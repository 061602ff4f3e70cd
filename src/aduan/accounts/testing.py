"""Test helpers: a staff session that passed both login steps.

Two-factor login is on by default for every role, so a test that only calls
`client.force_login(user)` lands on the code page. `login_verified` logs in and marks the
session as verified with a real, confirmed authenticator device of the user (the one the demo
loader made, or a new one), exactly as `django_otp.login` does after a correct code. Browser
tests go through the real pages instead (tests/e2e/conftest.py, `login`)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import User


def totp_device_for(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code the user's authenticator app shows now (or `step_offset` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def login_verified(client: Client, user: User) -> Client:
    """Log `client` in as `user`, with the second factor verified."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
    session.save()
    return client


def totp_code_unused(device: TOTPDevice) -> str:
    """A currently valid code that this device has not accepted yet: django-otp refuses a
    code twice, so a second login within the same 30 seconds uses the next step's code
    (accepted within the device's tolerance of one step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    offset = max(0, device.last_t + 1 - totp.t())
    return totp_code(device, step_offset=offset)
