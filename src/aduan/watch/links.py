"""Automatic links from complaints to the permit applications they are about.

Registered on `complaints.notify` (see apps.py): when a complaint is received, or its
reporter writes again, the text is searched for an application number or a NIB, and the
reporter's phone for an applicant's; each match is linked. A new complaint is linked by a
background job (LINK_JOB) queued with its registration: with the database task backend its
task row is written in the registering transaction, so it exists if and only if the case does
and nothing is lost while no worker runs; the submission's answer does not wait for the
search (issue 17). A later message is linked in its own transaction. A failure here is logged
and never stops the complaint from being registered.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aduan.complaints import notify
from aduan.core import crypto

if TYPE_CHECKING:
    from aduan.complaints.models import CaseEvent, Complaint

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./\-_]{3,99}")
NIB = re.compile(r"(?<!\d)\d{13}(?!\d)")
MAX_TOKENS = 300
LINKED_EVENTS = ("received", "message_in")
LINK_JOB = "watch.link_new_complaint"


def mentioned_numbers(text: str) -> tuple[set[str], set[str]]:
    """(candidate application numbers, NIBs) in a complaint's text."""
    numbers: set[str] = set()
    for match in TOKEN.finditer(text):
        token = match.group(0).rstrip("./-_").upper()
        if any(c.isdigit() for c in token) and len(token) >= 4:
            numbers.add(token)
        if len(numbers) >= MAX_TOKENS:
            break
    return numbers, set(NIB.findall(text))


def link_complaint(complaint: Complaint, text: str = "") -> list[int]:
    """Link the complaint to the applications it names; the ids of the new links' apps."""
    from aduan.watch.models import (
        ActionKind,
        AppStatus,
        ComplaintLink,
        MatchKind,
        PermitApplication,
        WatchAction,
    )

    body = " ".join([complaint.subject, complaint.description, complaint.company_name, text])
    numbers, nibs = mentioned_numbers(body)
    phone = complaint.reporter.phone if complaint.reporter_id else ""
    query = Q(number_key__in=numbers) if numbers else Q(pk__in=[])
    if nibs:
        query |= Q(nib__in=nibs, status=AppStatus.IN_PROCESS)
    if phone:
        query |= Q(phone_index=crypto.blind_index(phone), status=AppStatus.IN_PROCESS)
    if not (numbers or nibs or phone):
        return []
    apps = list(PermitApplication.objects.filter(query, office_id=complaint.office_id)
                .only("pk", "number_key", "nib", "phone_index")[:20])
    if not apps:
        return []
    phone_index = crypto.blind_index(phone) if phone else None
    already = set(ComplaintLink.objects.filter(complaint=complaint)
                  .values_list("application_id", flat=True))
    links, actions = [], []
    for app in apps:
        if app.pk in already:
            continue
        if app.number_key in numbers:
            matched = MatchKind.NUMBER
        elif app.nib and app.nib in nibs:
            matched = MatchKind.NIB
        elif phone_index and app.phone_index == phone_index:
            matched = MatchKind.PHONE
        else:
            continue
        links.append(ComplaintLink(application=app, complaint=complaint, matched_on=matched))
        actions.append(WatchAction(
            application=app, kind=ActionKind.COMPLAINT_LINKED, done_on=complaint.received_on,
            result=_("Pengaduan %(number)s menyebut permohonan ini (%(by)s).")
            % {"number": complaint.register_number, "by": MatchKind(matched).label}))
    ComplaintLink.objects.bulk_create(links, ignore_conflicts=True)
    WatchAction.objects.bulk_create(actions)
    return [link.application_id for link in links]


def link_complaint_by_id(complaint_id: int) -> int:
    """The background job's body: link the complaint (if it still exists); new links."""
    from aduan.complaints.models import Complaint

    complaint = Complaint.objects.select_related("reporter").filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    with transaction.atomic():
        return len(link_complaint(complaint))


def _queue_link(event: CaseEvent) -> None:
    """Queue LINK_JOB for a new complaint: with the database task backend as one of the case's
    follow-ups (complaints/notify.py: one task row, written in this transaction), with the
    immediate one now, inline (behind a savepoint: a failure must not abort the
    registration), on commit with a queue outside the database (RQ: its worker must find the
    case committed)."""
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db import DatabaseBackend

    from aduan.core import jobs

    complaint_id = event.complaint_id
    job = jobs.job(LINK_JOB)
    try:
        backend = job.get_backend()
        if isinstance(backend, DatabaseBackend):
            notify.follow_up(event, LINK_JOB)
        elif isinstance(backend, ImmediateBackend):
            with transaction.atomic():
                job.enqueue(complaint_id)
        else:
            transaction.on_commit(lambda: job.enqueue(complaint_id))
    except Exception:
        logger.exception("could not queue the permit links of complaint %s", complaint_id)


def link_complaint_for_event(event: CaseEvent, *, fresh: bool = False) -> None:
    """The `complaints.notify` handler."""
    del fresh
    if event.kind not in LINKED_EVENTS:
        return
    if event.kind == "received":
        _queue_link(event)
        return
    try:
        with transaction.atomic():
            link_complaint(event.complaint, event.body if event.kind == "message_in" else "")
    except Exception:
        logger.exception("linking complaint %s to permit applications failed",
                         event.complaint_id)
