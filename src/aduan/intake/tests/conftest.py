"""Fixtures of the inbound channel tests: captured payloads and channel secrets."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
APP_SECRET = "test-app-secret"  # the secret the sample signatures were computed with
SMS_SECRET = "sms-signing-key-for-tests"


def fixture_bytes(channel: str, name: str) -> bytes:
    return (FIXTURES / channel / name).read_bytes()


def wa_sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def channel_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    settings.WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v21.0"
    settings.SMS_WEBHOOK_SECRET = SMS_SECRET
    return settings
