"""Credentials of API clients: staff API tokens and Open311 client keys, stored hashed."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aduan.core.models import BaseModel

TOKEN_PREFIX_LENGTH = 8


def new_secret(prefix: str) -> str:
    """A random credential, e.g. `adn_…` (256 bits); shown once, then only its hash is kept."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_secret(secret: str) -> str:
    # A fast hash is right here: the secret is 256 random bits, not a guessable password.
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """`10.0.0.0/8, 192.168.1.7` as networks; ValueError on anything else."""
    return [ipaddress.ip_network(part, strict=False)
            for part in re.split(r"[\s,;]+", text or "") if part]


class ApiToken(BaseModel):
    """A bearer token of a staff user: API calls act as that user, with their role and unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens", verbose_name=_("user"))
    # The office the token was issued for (issue 18): calls act in that office only, with
    # the user's roles there, and stop working when the user no longer works there. Empty only
    # for a user without an office (then, as before, the user's own office).
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="api_tokens", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. the licensing portal."))
    prefix = models.CharField(_("prefix"), max_length=16, editable=False,
                              help_text=_("The first characters, to recognise a token."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True,
                                        editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    allowed_networks = models.TextField(
        _("allowed networks"), blank=True,
        help_text=_("Optional: IP addresses or ranges (CIDR) the token may be used from, "
                    "separated by commas or new lines, e.g. 10.20.0.0/16. Empty: anywhere."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows_address(self, ip: str | None) -> bool:
        """Whether a call from `ip` may use this token (always, when no networks are set)."""
        networks = parse_networks(self.allowed_networks)
        if not networks:
            return True
        try:
            address = ipaddress.ip_address(ip or "")
        except ValueError:
            return False
        return any(address in network for network in networks)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Open311Client(BaseModel):
    """An Open311 GeoReport v2 client (an app or another system) with its own `api_key`."""

    name = models.CharField(_("name"), max_length=100)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT,
                               related_name="open311_clients", verbose_name=_("office"))
    channel = models.ForeignKey(
        "offices.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("channel"),
        help_text=_("Channel recorded on its complaints; empty: the office's API channel."))
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True,
                                        editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
