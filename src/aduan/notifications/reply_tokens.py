"""Reply tokens: how an e-mail reply finds its case (issue 14).

Every mail to a reporter about a case carries a random token twice: in the Reply-To address
(`pengaduan+<token>@domain`, plus-addressing that every mailbox we support delivers to the base
address) and in the subject (`[ref:<token>]`, for mail clients that drop Reply-To or reporters
who write a new mail). Intake threads a mail onto a case only with a valid token from the
address the token was issued to.
"""

from __future__ import annotations

import base64
import re
import secrets
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction

from aduan.notifications.models import ReplyToken

# 80 random bits in lower-case base32: survives mail clients that change letter case.
TOKEN_RE = re.compile(r"^[a-z2-7]{16}$")
SUBJECT_TOKEN_RE = re.compile(r"\[ref:([A-Za-z2-7]{16})\]")
# `local+token@domain`: the token is what follows the last `+` of the local part.
ADDRESS_TOKEN_RE = re.compile(r"\+([A-Za-z2-7]{16})@")


def _new_token() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()


def reply_token_for(*, complaint_id: int, email: str) -> str:
    """The case's token for this reporter address, issued on first use."""
    email = email.strip().lower()
    existing = ReplyToken.objects.filter(complaint_id=complaint_id, email=email).first()
    if existing is not None:
        return existing.token
    try:
        with transaction.atomic():
            return ReplyToken.objects.create(complaint_id=complaint_id, email=email,
                                             token=_new_token()).token
    except IntegrityError:  # issued concurrently by another worker
        return ReplyToken.objects.get(complaint_id=complaint_id, email=email).token


def reply_base_address() -> str:
    """The mailbox replies go to: ADUAN_REPLY_ADDRESS, else the polled IMAP user when it is an
    address, else the sender address."""
    configured = getattr(settings, "ADUAN_REPLY_ADDRESS", "")
    for candidate in (configured, settings.IMAP_USER, settings.DEFAULT_FROM_EMAIL):
        address = parseaddr(candidate or "")[1]
        if "@" in address:
            return address
    return ""


def reply_address(token: str) -> str:
    base = reply_base_address()
    if not base:
        return ""
    local, domain = base.rsplit("@", 1)
    return f"{local.split('+', 1)[0]}+{token}@{domain}"


def subject_with_token(subject: str, token: str) -> str:
    return f"{subject} [ref:{token}]"


def tokens_in(*, subject: str, addresses: list[str]) -> list[str]:
    """Tokens a mail carries, from its recipient addresses and subject (at most 5)."""
    found: list[str] = []
    for address in addresses:
        found += [m.lower() for m in ADDRESS_TOKEN_RE.findall(address or "")]
    found += [m.lower() for m in SUBJECT_TOKEN_RE.findall(subject or "")]
    return list(dict.fromkeys(t for t in found if TOKEN_RE.match(t)))[:5]


def reply_token_lookup(token: str) -> ReplyToken | None:
    """The token's record (with its case), or None for a token we never issued."""
    if not TOKEN_RE.match(token or ""):
        return None
    return (ReplyToken.objects.select_related("complaint", "complaint__reporter")
            .filter(token=token).first())
