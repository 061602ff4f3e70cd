"""Symmetric encryption for personal data at rest (NIK), keyed from settings."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _key_material() -> bytes:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    return (configured or settings.SECRET_KEY).encode()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"aduan-field-encryption:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def blind_index(value: str) -> str:
    """A keyed hash to find a record by an encrypted value without decrypting every row."""
    if not value:
        return ""
    return hmac.new(_key_material(), value.encode(), hashlib.sha256).hexdigest()
