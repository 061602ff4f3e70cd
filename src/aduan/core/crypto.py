"""Symmetric encryption for personal data at rest (NIK), with key rotation.

`settings.FIELD_ENCRYPTION_KEYS` lists the keys newest first: the first encrypts, every one
decrypts (cryptography's MultiFernet), so a new key is put in front, `manage.py reencrypt_nik`
moves the stored NIKs to it, and then the old key is removed. An entry is a Fernet key
(`python -m aduan.config.keys` makes one) or, for data written before rotation existed, the old
FIELD_ENCRYPTION_KEY/SECRET_KEY string, from which the key is derived as it was then.

`key_fingerprints()` names the keys without revealing them (for a backup's manifest), and
`check_decryptable()` fails loudly when stored data was encrypted with none of them (a restore
on the wrong installation, a lost key).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import logging
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class KeyMismatchError(ImproperlyConfigured):
    """Stored data cannot be decrypted with any configured key."""


def _configured_keys() -> tuple[str, ...]:
    configured = tuple(k for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) if k)
    if not configured:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS (kunci enkripsi NIK) tidak diisi; buat dengan "
            "`python -m aduan.config.keys`.")
    return configured


def _fernet_key(key: str) -> bytes:
    """The Fernet key for one configured entry: itself if it is one, else derived (legacy)."""
    try:
        Fernet(key)
    except (ValueError, binascii.Error):
        digest = hashlib.sha256(b"aduan-field-encryption:" + key.encode()).digest()
        return base64.urlsafe_b64encode(digest)
    return key.encode()


@functools.lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def _fernet() -> MultiFernet:
    return _multi(_configured_keys())


def key_fingerprints() -> list[str]:
    """A short, non-reversible name of each configured key, newest first."""
    return [hashlib.sha256(b"aduan-key-fingerprint:" + _fernet_key(k)).hexdigest()[:16]
            for k in _configured_keys()]


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The plain value; "" (and an error in the log) if no configured key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        logger.error("A stored NIK cannot be decrypted with any of the keys %s",
                     key_fingerprints())
        return ""


def reencrypt(token: str) -> str:
    """The same value encrypted with the newest key (InvalidToken if no key opens it)."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def is_current(token: str) -> bool:
    """Whether the newest key alone opens `token`."""
    try:
        Fernet(_fernet_key(_configured_keys()[0])).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def check_decryptable(tokens: Iterable[str]) -> int:
    """Decrypt every token; the count checked, or KeyMismatchError naming how many fail."""
    checked = failed = 0
    fernet = _fernet()
    for token in tokens:
        if not token:
            continue
        checked += 1
        try:
            fernet.decrypt(token.encode())
        except InvalidToken:
            failed += 1
    if failed:
        raise KeyMismatchError(
            f"{failed} dari {checked} NIK tersimpan tidak dapat dibuka dengan kunci "
            f"FIELD_ENCRYPTION_KEYS yang dipasang (sidik jari {', '.join(key_fingerprints())}): "
            "data ini dienkripsi dengan kunci lain. Pasang kunci instalasi asalnya; jangan "
            "menulis data baru sebelum itu.")
    return checked


def blind_index(value: str) -> str:
    """A keyed hash to find a record by an encrypted value without decrypting every row
    (keyed by the newest key; `manage.py reencrypt_nik` recomputes it after a rotation)."""
    if not value:
        return ""
    return hmac.new(_configured_keys()[0].encode(), value.encode(), hashlib.sha256).hexdigest()
