"""Credentials and intake through the API: token life cycle, client keys, and complaint
submission with attachments checked by content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.memberships import membership_apply, membership_get_active
from aduan.accounts.models import User
from aduan.api.models import (
    TOKEN_PREFIX_LENGTH,
    ApiToken,
    Open311Client,
    hash_secret,
    new_secret,
    parse_networks,
)
from aduan.complaints.attachments import (
    MAX_ATTACHMENTS,
    attachment_add,
    attachment_batch,
    attachment_ingest,
)
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.complaints.submissions import Once, Outcome, submission_record, submit_once
from aduan.core.exceptions import ApplicationError, ValidationFailed
from aduan.offices.models import Channel, ChannelKind, Office, ServiceType


class Unauthenticated(ApplicationError):
    code = "unauthenticated"
    status_code = 401


# --------------------------------------------------------------------------------------------
# Credentials
# --------------------------------------------------------------------------------------------


def api_token_create(*, user: User, name: str, expires_at: dt.datetime | None = None,
                     allowed_networks: str = "",
                     office: Office | None = None) -> tuple[ApiToken, str]:
    """Issue a token for a staff user; returns the row and the secret (shown only once).
    `allowed_networks` (CIDR list) limits the addresses it may be used from. `office`: the
    office the token works in (default: the user's home office); another office needs an
    active membership of the user there (accounts.memberships)."""
    if not user.is_active or user.home_office_id is None:
        raise ValidationFailed(_("Token hanya dapat dibuat untuk staf aktif sebuah kantor."))
    office_id = office.pk if office is not None else user.home_office_id
    if office_id != user.home_office_id and membership_get_active(user, office_id) is None:
        raise ValidationFailed(_("Pengguna tidak bekerja di kantor ini."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("Tanggal kedaluwarsa harus di masa depan."))
    try:
        networks = ", ".join(str(n) for n in parse_networks(allowed_networks))
    except ValueError:
        raise ValidationFailed(_("Jaringan yang diizinkan tidak valid; tulis alamat IP atau "
                                 "rentang CIDR, misalnya 10.20.0.0/16.")) from None
    secret = new_secret("adn")
    token = ApiToken.objects.create(
        user=user, office_id=office_id, name=(name or "").strip()[:100] or "API",
        prefix=secret[:TOKEN_PREFIX_LENGTH], token_hash=hash_secret(secret),
        expires_at=expires_at, allowed_networks=networks)
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(secret: str, *, ip: str | None = None) -> User:
    """The staff user behind a bearer token; Unauthenticated if unknown, revoked, expired or
    used from outside its allowed networks (one answer for all, like a wrong password)."""
    token = (ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret or ""))
             .first())
    if (token is None or not token.is_usable or not token.user.is_active
            or not token.allows_address(ip)):
        raise Unauthenticated(_("Token API tidak valid, dicabut atau kedaluwarsa."))
    user = token.user
    if token.office_id is not None and token.office_id != user.office_id:
        # A token of another office of the user: its membership there, or nothing at all (a
        # token never roams to the user's home office or any other).
        membership = membership_get_active(user, token.office_id)
        if membership is None:
            raise Unauthenticated(_("Token API tidak valid, dicabut atau kedaluwarsa."))
        membership_apply(user, membership)
    now = timezone.now()
    # Write last use at most once a minute: a busy client must not turn reads into writes.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


def open311_client_create(*, office: Office, name: str, channel: Channel | None = None,
                          contact: str = "") -> tuple[Open311Client, str]:
    """Register an Open311 client; returns the row and its api_key (shown only once)."""
    if channel is not None and channel.office_id != office.pk:
        raise ValidationFailed(_("Saluran pengaduan bukan milik kantor ini."))
    key = new_secret("o311")
    client = Open311Client.objects.create(
        office=office, name=(name or "").strip()[:100] or "Open311", channel=channel,
        contact=contact, prefix=key[:TOKEN_PREFIX_LENGTH], key_hash=hash_secret(key))
    return client, key


def open311_client_authenticate(api_key: str) -> Open311Client:
    client = (Open311Client.objects.select_related("office", "channel")
              .filter(key_hash=hash_secret(api_key or ""), is_active=True).first())
    if client is None:
        raise Unauthenticated(_("api_key tidak valid."), code="invalid_api_key")
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > dt.timedelta(minutes=1):
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


# --------------------------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------------------------


def api_channel_for(office: Office) -> Channel:
    """The channel recorded on complaints that arrive through the API: the office's active
    channel of kind `api` if it has one, else its web channel (SPEC §2: channels are data)."""
    for kind in (ChannelKind.API, ChannelKind.WEB):
        channel = office.channels.filter(kind=kind, is_active=True).order_by("order", "pk").first()
        if channel is not None:
            return channel
    raise ApplicationError(_("Kantor belum memiliki saluran pengaduan API atau web."),
                           code="channel_missing")


def _safe_name(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in "._- ")[-100:].strip() or "lampiran"


@dataclass
class SubmissionInput:
    subject: str
    description: str
    reporter: ReporterInput
    service_type_code: str = ""
    company_name: str = ""
    location: str = ""
    classification: str = "complaint"


def complaint_submit(*, office: Office, channel: Channel, data: SubmissionInput,
                     files: Sequence[File] = (), extra: dict[str, Any] | None = None
                     ) -> Complaint:
    """Register a complaint from an API client and store its attachments (see
    `complaint_submit_once`)."""
    return complaint_submit_once(office=office, channel=channel, data=data, files=files,
                                 extra=extra).complaint


def complaint_submit_once(*, office: Office, channel: Channel, data: SubmissionInput,
                          files: Sequence[File] = (), extra: dict[str, Any] | None = None,
                          once: Once | None = None,
                          receipt: Callable[[Complaint, int], dict[str, Any]] | None = None
                          ) -> Outcome:
    """Register a complaint from an API client with its attachments, at most once per
    `once` (the `Idempotency-Key`).

    Every file is checked and cleaned (`attachment_ingest`, streamed, never read whole) before
    anything is written, so bad input loses nothing and leaves nothing on disk; the complaint,
    its attachments and the key are written in one transaction through `complaint_register`
    (which numbers it and queues the receipt to the reporter). `receipt(complaint, n_files)`
    builds the answer stored with the key, so a replay returns the first answer exactly.
    """
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS},
                               code="too_many_attachments")
    service_type = None
    if data.service_type_code:
        service_type = ServiceType.objects.filter(
            office=office, code=data.service_type_code, is_active=True).first()
        if service_type is None:
            raise ValidationFailed(_("Jenis layanan tidak dikenal."), code="service_type_unknown")

    def register() -> tuple[Complaint, dict[str, Any]]:
        with attachment_batch():
            staged = [attachment_ingest(file, name=_safe_name(file.name or "")) for file in files]
            with transaction.atomic():
                complaint = complaint_register(
                    office=office, channel=channel, subject=data.subject,
                    description=data.description, reporter=data.reporter,
                    classification=data.classification, service_type=service_type,
                    company_name=data.company_name, location=data.location, data=extra)
                for item in staged:
                    attachment_add(complaint=complaint, file=item)
                answer = receipt(complaint, len(staged)) if receipt else {}
                submission_record(once, complaint, answer)
        return complaint, answer

    return submit_once(once, register)
