"""Stored NIKs and the encryption keys: check that they open, move them to the newest key.

The reporter's NIK is the only value kept encrypted (core/crypto.py). After a key rotation
`reporters_reencrypt_nik` rewrites every ciphertext with the newest key and recomputes the blind
index; `reporters_check_nik_keys` is what a restore runs first, so data restored on an
installation with the wrong keys fails loudly instead of reading as empty NIKs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from aduan.complaints.models import Reporter
from aduan.core import crypto

BATCH = 500


def reporters_check_nik_keys() -> int:
    """How many stored NIKs were checked; crypto.KeyMismatchError when any cannot be opened."""
    tokens = Reporter.objects.exclude(nik_encrypted="").values_list("nik_encrypted", flat=True)
    return crypto.check_decryptable(tokens.iterator(chunk_size=BATCH))


@dataclass(frozen=True)
class ReencryptRun:
    checked: int
    rewritten: int


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
    return ReencryptRun(checked=checked, rewritten=rewritten)
