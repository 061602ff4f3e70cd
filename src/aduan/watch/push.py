"""The licensing system's scheduled push: a token per sender (only its hash is kept, compared
in constant time), a rate limit per address, and the import pipeline of importers.py."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.core.exceptions import PermissionDenied, ValidationFailed
from aduan.offices.models import Office
from aduan.watch.importers import FIELDS, Outcome, import_rows
from aduan.watch.models import ImportJob, ImportStatus, PushToken, RejectedRow

TOKEN_PREFIX = "pws_"  # noqa: S105 - names the kind of token; not a secret
MAX_PUSH_ROWS = 1000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def push_token_issue(office: Office, name: str) -> tuple[PushToken, str]:
    """A new token; the plain value is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = PushToken.objects.create(office=office, name=name[:100], prefix=plain[:12],
                                   token_hash=_hash(plain))
    return row, plain


def push_authenticate(header: str) -> PushToken:
    """The active token named by `Authorization: Bearer <token>`; PermissionDenied else.

    The lookup is by the hash's index; the final comparison is constant-time, so timing
    tells nothing about how much of a guess was right."""
    scheme, _sep, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        raise PermissionDenied(_("Token tidak valid."))
    digest = _hash(token)
    row = PushToken.objects.filter(token_hash=digest, is_active=True).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        raise PermissionDenied(_("Token tidak valid."))
    PushToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row


def push_apply(token: PushToken, payload: object) -> dict[str, object]:
    """Import `{"applications": [{field: value, ...}, ...]}`; rows that fail are kept aside
    on a push job and answered with their reasons."""
    if not isinstance(payload, dict) or not isinstance(payload.get("applications"), list):
        raise ValidationFailed(_("Isi permintaan harus {\"applications\": [...]}."))
    items = payload["applications"]
    if len(items) > MAX_PUSH_ROWS:
        raise ValidationFailed(_("Paling banyak %(n)s permohonan per permintaan.")
                               % {"n": MAX_PUSH_ROWS})
    rows: list[tuple[int, dict[str, object]]] = []
    bad: list[tuple[int, dict[str, str], list[str]]] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append((i, {"value": str(item)[:200]}, [_("Setiap permohonan harus objek.")]))
            continue
        values = {k: v for k, v in item.items() if k in FIELDS}
        if any(not isinstance(v, str | int | float | type(None)) or isinstance(v, bool)
               for v in values.values()):
            bad.append((i, {k: str(v)[:200] for k, v in values.items()},
                        [_("Nilai harus teks, angka atau kosong.")]))
            continue
        rows.append((i, values))
    outcome: Outcome = import_rows(token.office_id, rows, source="push")
    outcome.rejects.extend(bad)
    outcome.rejected += len(bad)
    now = timezone.now()
    job = ImportJob.objects.create(
        office_id=token.office_id, original_name=f"push:{token.name}"[:255], file_kind="push",
        status=ImportStatus.DONE, rows_total=len(items), rows_done=len(items),
        created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged,
        rejected=outcome.rejected, started_at=now, finished_at=now)
    RejectedRow.objects.bulk_create([RejectedRow(job=job, row_number=n, values=v, errors=e)
                                     for n, v, e in sorted(outcome.rejects, key=lambda r: r[0])])
    return {"created": outcome.created, "updated": outcome.updated,
            "unchanged": outcome.unchanged, "rejected": outcome.rejected, "job": job.pk,
            "errors": [{"index": n, "errors": e} for n, _v, e in sorted(outcome.rejects, key=lambda r: r[0])]}
