"""Second factors of staff accounts through django-otp: an authenticator app (TOTP) and
one-time backup codes (django-otp's static tokens). Every change is a SecurityEvent."""

from __future__ import annotations

import base64
from binascii import unhexlify

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aduan.accounts.models import SecurityEvent, SecurityEventKind, User

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Aplikasi autentikator"
BACKUP_DEVICE_NAME = "Kode cadangan"


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def totp_secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(unhexlify(device.key)).decode().rstrip("=")


def totp_device_pending(user: User) -> TOTPDevice:
    """The user's not yet confirmed authenticator (created on first call, then reused, so a
    reload of the enrolment page shows the same key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str, ip: str | None = None
                        ) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code from it.

    On success the new device replaces any earlier authenticator, a fresh set of backup codes
    replaces the old one, a SecurityEvent is written, and (device, backup codes) returned.
    Returns None when the code is wrong (nothing changes but django-otp's throttle)."""
    device = (TOTPDevice.objects.select_for_update()
              .filter(user=user, confirmed=False).order_by("pk").first())
    if device is None or not token.isdigit() or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_generate(user=user, ip=ip, log=False)
    SecurityEvent.objects.create(user=user, actor=user, ip_address=ip,
                                 kind=SecurityEventKind.SECOND_FACTOR_ENROLLED)
    return device, codes


@transaction.atomic
def backup_codes_generate(*, user: User, ip: str | None = None, log: bool = True) -> list[str]:
    """A new set of one-time backup codes; the old set stops working. Shown to the user once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    if log:
        SecurityEvent.objects.create(user=user, actor=user, ip_address=ip,
                                     kind=SecurityEventKind.BACKUP_CODES_GENERATED)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(request: HttpRequest, user: User, token: str) -> bool:
    """Check `token` against the user's authenticator, then their backup codes; on success
    mark the session as verified (django-otp) and return True. A backup code is used up."""
    from django_otp import verify_token

    devices: list[TOTPDevice | StaticDevice] = []
    if token.isdigit() and len(token) == 6:
        devices += list(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif token.isalnum() and len(token) == 8:
        devices += list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            otp_login(request, verified)
            if isinstance(verified, StaticDevice):
                SecurityEvent.objects.create(
                    user=user, actor=user, kind=SecurityEventKind.BACKUP_CODE_USED,
                    ip_address=request.META.get("REMOTE_ADDR"),
                    data={"left": backup_codes_left(user)})
            return True
    return False


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, ip: str | None = None) -> int:
    """Remove every second factor of `user` (a lost phone): at the next login they enrol
    again. Audited as a SecurityEvent naming the administrator. Returns devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    SecurityEvent.objects.create(user=user, actor=actor, ip_address=ip,
                                 kind=SecurityEventKind.DEVICES_RESET,
                                 data={"removed": removed})
    return removed
