"""Exactly-once submission: a single-use key per submission (web and desk form tokens, the
API's `Idempotency-Key`). The key row is written in the transaction that registers the
complaint, under a unique constraint, so of two identical requests racing (a double click,
a replay, a client retrying after a timeout) one registers and the other gets its receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from aduan.complaints.models import Complaint, SubmissionKey
from aduan.core.exceptions import ValidationFailed
from aduan.core.fastinsert import insert

MAX_KEY = 128


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Once:
    """The key a submission carries; `body_sha256` only where the body must match (API)."""

    scope: str
    key: str
    body_sha256: str = ""


@dataclass(frozen=True)
class Outcome:
    complaint: Complaint
    replayed: bool
    response: dict[str, Any]


def submission_find(once: Once) -> SubmissionKey | None:
    found = (SubmissionKey.objects.select_related("complaint")
             .filter(scope=once.scope, key=once.key[:MAX_KEY]).first())
    if found is not None and found.body_sha256 != once.body_sha256:
        raise IdempotencyKeyReused(
            _("Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru "
              "untuk pengaduan baru."))
    return found


def submission_record(once: Once | None, complaint: Complaint,
                      response: dict[str, Any] | None = None) -> None:
    """Call inside the registering transaction; raises IntegrityError if the key is taken."""
    if once is None:
        return
    # core.fastinsert: the same row as objects.create() without the ORM compiling the INSERT
    # (about a tenth of a web submission's CPU went to this one row, issue 17); a taken key
    # raises the same IntegrityError.
    insert(SubmissionKey(scope=once.scope, key=once.key[:MAX_KEY],
                         body_sha256=once.body_sha256, complaint=complaint,
                         response=response or {}))


def submit_once(once: Once | None, register: Callable[[], tuple[Complaint, dict[str, Any]]]
                ) -> Outcome:
    """Run `register` (which calls `submission_record` in its transaction) unless the key was
    used already; the first submission's outcome on replay."""
    if once is None:
        complaint, response = register()
        return Outcome(complaint, False, response)
    # No look-up first: a replay is rare, and its key's unique row stops it in the
    # transaction (which rolls back, numbers and files included).
    try:
        complaint, response = register()
    except IntegrityError:
        # The key was used: by an earlier request, or by a twin whose transaction committed
        # while ours waited.
        if (found := submission_find(once)) is None:
            raise
        return Outcome(found.complaint, True, found.response)
    return Outcome(complaint, False, response)
