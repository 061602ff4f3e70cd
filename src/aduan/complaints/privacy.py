"""Who sees what of a reporter: the one rule set of docs/privacy.md ("Who sees what").

1. The complaint team (officers, team lead) sees the whole identity, every view logged
   (`selectors.reporter_for_staff`). Whether a viewer sees an identity is decided in one place,
   `access.may_see_identity`.
2. Anyone else, unit staff, the head of office, the administrator, and every export, sees
   "(dirahasiakan)" for a confidential reporter and nothing derived from it: no initials, no
   masked phone digits, no e-mail prefix, no NIK region. An anonymous reporter has no identity.
3. Free text the reporter wrote or that quotes them (subject, description, location, findings,
   messages and notes, file names) shown outside the complaint team, or in an export, passes
   through `complaint_redactor`, the same function as public output (portal, Open311, the
   tracking API; complaints/publication.py): the shapes of personal data (phone, e-mail, NIK
   and other ID numbers) and this reporter's own name, phone, e-mail, NIK, address and the
   company named in the case become "[dihapus]".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.models import Attachment, CaseEvent, Complaint
from aduan.complaints.publication import public_redactor
from aduan.core.redaction import Redactor

_Row = TypeVar("_Row", CaseEvent, Attachment)


def confidential_label() -> str:
    return _("(dirahasiakan)")


def complaint_redactor(complaint: Complaint) -> Redactor:
    """The redaction of one case's free text outside the complaint team and in exports: the
    very function public output uses (complaints/publication.py)."""
    return public_redactor(complaint)


def may_read_unredacted(user: User | AnonymousUser) -> bool:
    """Free text is shown as written to the complaint team only (rule 3)."""
    return user.is_authenticated and user.is_complaint_team


def text_for(user: User, complaint: Complaint) -> Callable[[str], str]:
    """How `user` reads the free text of `complaint`: as written, or redacted."""
    if may_read_unredacted(user):
        return _as_written
    return complaint_redactor(complaint)


def _as_written(text: str) -> str:
    return text


# --- What a viewer outside the complaint team is shown (rule 3) -----------------------------

# Free-text fields of a case: what the reporter wrote, or what staff wrote that may quote them.
FREE_TEXT_FIELDS = ("subject", "description", "location", "findings_note", "response_text")
# Keys of an event's data that hold configuration names, not what people wrote.
_EVENT_DATA_KEEP = frozenset({"unit_name", "agency_name", "unit", "agency", "channel",
                              "status", "kind", "content_type", "size"})


def complaint_as_seen_by(user: User, complaint: Complaint) -> Complaint:
    """`complaint` itself for the complaint team; else an unsaved copy with its free text
    redacted, for display only (never saved: the copy is not what services receive)."""
    if may_read_unredacted(user):
        return complaint
    redact = complaint_redactor(complaint)
    shown = copy.copy(complaint)
    for name in FREE_TEXT_FIELDS:
        setattr(shown, name, redact(getattr(complaint, name)))
    return shown


def complaints_as_seen_by(user: User, complaints: list[Complaint]) -> list[Complaint]:
    if may_read_unredacted(user):
        return complaints
    return [complaint_as_seen_by(user, c) for c in complaints]


def _redacted_copies(user: User, complaint: Complaint, rows: list[_Row],
                     redact_row: Callable[[Redactor, _Row, _Row], None]) -> list[_Row]:
    """Shallow copies of `rows` with `redact_row(redact, original, copy)` applied, for viewers
    outside the team; the rows themselves for the team."""
    if may_read_unredacted(user):
        return rows
    redact = complaint_redactor(complaint)
    shown = []
    for row in rows:
        copied = copy.copy(row)
        redact_row(redact, row, copied)
        shown.append(copied)
    return shown


def events_as_seen_by(user: User, complaint: Complaint,
                      events: list[CaseEvent]) -> list[CaseEvent]:
    """Timeline events with their text and data redacted for viewers outside the team."""
    def redact_event(redact: Redactor, event: CaseEvent, copied: CaseEvent) -> None:
        copied.body = redact(event.body)
        copied.data = redact.data(event.data, keep=_EVENT_DATA_KEEP)

    return _redacted_copies(user, complaint, events, redact_event)


def attachments_as_seen_by(user: User, complaint: Complaint,
                           attachments: list[Attachment]) -> list[Attachment]:
    """Attachment rows with redacted file names ("KTP_Siti_Aminah.jpg") outside the team."""
    def redact_attachment(redact: Redactor, attachment: Attachment, copied: Attachment) -> None:
        copied.original_name = redact(attachment.original_name)

    return _redacted_copies(user, complaint, attachments, redact_attachment)
