"""Stored NIKs and the encryption keys: check that they open, move them to the newest key.

The values kept encrypted (core/crypto.py) are the reporter's NIK and the payload of a web
submission accepted and not registered yet (complaints/submissions.py, decision 0015: the
reporter's whole form, NIK included). After a key rotation `reporters_reencrypt_nik` rewrites
every ciphertext of both with the newest key and recomputes the NIKs' blind index;
`reporters_check_nik_keys` is what a restore runs first, so data restored on an installation
with the wrong keys fails loudly instead of reading as empty NIKs. A waiting payload left on an
old key would be lost with it: the worker could never open it to register the complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.db import transaction
from django.db.models import QuerySet

from aduan.complaints.models import Reporter, SubmissionKey
from aduan.core import crypto

BATCH = 500


def _waiting_payloads() -> QuerySet[SubmissionKey]:
    """Accepted submissions whose encrypted payload still waits for the worker."""
    return SubmissionKey.objects.filter(complaint__isnull=True).exclude(payload="")


def reporters_check_nik_keys() -> int:
    """How many stored NIKs (and waiting submission payloads) were checked;
    crypto.KeyMismatchError when any cannot be opened."""
    tokens = Reporter.objects.exclude(nik_encrypted="").values_list("nik_encrypted", flat=True)
    payloads = _waiting_payloads().values_list("payload", flat=True)
    return crypto.check_decryptable(chain(tokens.iterator(chunk_size=BATCH),
                                          payloads.iterator(chunk_size=BATCH)))


@dataclass(frozen=True)
class ReencryptRun:
    checked: int  # NIKs and waiting submission payloads opened
    rewritten: int  # NIKs moved to the newest key
    payloads: int = 0  # waiting submission payloads moved to the newest key


def reporters_reencrypt_nik() -> ReencryptRun:
    """Re-encrypt every stored NIK with the newest key.

    Every NIK is checked first, so nothing is rewritten when one cannot be opened; then each
    batch is its own transaction, re-reading its rows under lock. Rows already on the newest key
    get a fresh blind index only. Running it again, or after an interruption, is safe: every
    configured key still opens what either run wrote."""
    checked = reporters_check_nik_keys()
    rewritten = 0
    ids = list(Reporter.objects.exclude(nik_encrypted="").order_by("pk")
               .values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            rows = list(Reporter.objects.select_for_update()
                        .filter(pk__in=ids[start:start + BATCH]).exclude(nik_encrypted=""))
            for reporter in rows:
                nik = crypto.decrypt(reporter.nik_encrypted)
                if not crypto.is_current(reporter.nik_encrypted):
                    reporter.nik_encrypted = crypto.reencrypt(reporter.nik_encrypted)
                    rewritten += 1
                reporter.nik_index = crypto.blind_index(nik)
            Reporter.objects.bulk_update(rows, ["nik_encrypted", "nik_index"])
    return ReencryptRun(checked=checked, rewritten=rewritten, payloads=_payloads_reencrypt())


def _payloads_reencrypt() -> int:
    """Move the waiting submission payloads to the newest key; how many were rewritten. Each
    row is re-read under lock (the worker may have registered it meanwhile: its payload is
    cleared then, and left so)."""
    rewritten = 0
    ids = list(_waiting_payloads().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            rows = [row for row in _waiting_payloads().select_for_update()
                    .filter(pk__in=ids[start:start + BATCH]).only("id", "payload")
                    if not crypto.is_current(row.payload)]
            for row in rows:
                row.payload = crypto.reencrypt(row.payload)
            SubmissionKey.objects.bulk_update(rows, ["payload"])
            rewritten += len(rows)
    return rewritten
