"""Retention (UU 27/2022): inbound messages and conversations lose the sender's address, name,
text and raw payload, with the case they belong to or, without a case, by age."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from aduan.core.redaction import Redactor
from aduan.intake.models import Conversation, InboundMessage
from aduan.offices.models import Office
from aduan.offices.selectors import office_default_inbound

# Rows still holding something personal (a purged row has all of these empty).
_NOT_PURGED = ~Q(sender="") | ~Q(sender_name="") | ~Q(body="") | ~Q(raw=b"")
_CHUNK = 500


def _purge(rows: QuerySet[InboundMessage], redact: Redactor) -> int:
    """Clear sender, name, text, raw payload, headers, the provider's id (a WhatsApp id
    encodes the number) and errors; keep channel, provider, status, dates, the case link and
    the message's kind. Subject and resolution note are redacted. Returns the rows purged."""
    now = timezone.now()
    by_kind: dict[str, list[int]] = defaultdict(list)
    texts = []
    for pk, data, subject, note in rows.values_list("pk", "data", "subject", "resolution_note"):
        kind = data.get("kind", "") if isinstance(data, dict) else ""
        by_kind[str(kind or "")].append(pk)
        if subject or note:
            texts.append((pk, subject, note))
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), _CHUNK):
            InboundMessage.objects.filter(pk__in=ids[start:start + _CHUNK]).update(
                sender="", sender_name="", body="", raw=b"", headers={},
                provider_message_id="", error="", data={"kind": kind} if kind else {},
                updated_at=now)
    for pk, subject, note in texts:
        InboundMessage.objects.filter(pk=pk).update(subject=redact(subject)[:300],
                                                    resolution_note=redact(note))
    return sum(len(ids) for ids in by_kind.values())


def inbound_purge_for_complaints(*, complaint_ids: list[int], redact: Redactor) -> int:
    """Purge the inbound messages and close the conversations of these cases; returns the
    rows changed. A conversation loses its address (phone or e-mail), so no later message can
    join an anonymised case."""
    now = timezone.now()
    conversations = Conversation.objects.filter(complaint_id__in=complaint_ids)
    conversations.filter(is_open=True).update(is_open=False, closed_at=now, updated_at=now)
    closed = conversations.exclude(address="").update(address="", updated_at=now)
    return _purge(InboundMessage.objects.filter(complaint_id__in=complaint_ids), redact) + closed


def inbound_purge_expired(*, office: Office, before: dt.datetime, dry_run: bool) -> int:
    """Purge messages that never became part of a case (provider delivery reports, bounces,
    spam, review items, LAPOR! import files) received before `before`. Messages of no office
    (no channel named one) count as the office that receives such messages: the central
    intake, or the only office (`office_default_inbound`), else the oldest active office, so
    they expire too. Returns the rows purged (or, with `dry_run`, due)."""
    of_office = Q(office=office)
    keeper = office_default_inbound() or Office.objects.filter(
        is_active=True).order_by("pk").first()
    if keeper is not None and keeper.pk == office.pk:
        of_office |= Q(office__isnull=True)
    rows = InboundMessage.objects.filter(of_office, _NOT_PURGED, complaint__isnull=True,
                                         received_at__lt=before)
    if dry_run:
        return rows.count()
    return _purge(rows, Redactor())
