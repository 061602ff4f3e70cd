"""Keyset pagination of case lists, newest first on (received_at, id): a deep page costs the
same as the first at a million cases (the `cmp_inbox*` indexes). Shared by the desk and the API.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from aduan.complaints.models import Complaint


def cursor_encode(complaint: Complaint) -> str:
    raw = f"{complaint.received_at.isoformat()}|{complaint.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(token: str) -> tuple[dt.datetime, int] | None:
    """The (received_at, id) of the last row of the previous page, or None if malformed."""
    if not token or len(token) > 100:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        stamp, pk = raw.split("|")
        at = parse_datetime(stamp)
        if at is None or at.tzinfo is None or not 0 < int(pk) < 2**63:
            return None
        return at, int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def complaints_after(qs: QuerySet[Complaint], after: tuple[dt.datetime, int]) -> QuerySet[Complaint]:
    """Rows after the cursor in (-received_at, -id) order. The plain `<=` bound lets the index
    range-scan; the OR then breaks the tie by id."""
    at, pk = after
    return qs.filter(Q(received_at__lte=at), Q(received_at__lt=at) | Q(received_at=at, id__lt=pk))
