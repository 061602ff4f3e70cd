"""Read paths: staff lists, public tracking, reporter identity (masked and logged)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import cast

from django.db.models import F, QuerySet

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to, may_see_identity, was_admitted
from aduan.complaints.models import CaseEvent, Complaint, IdentityAccess, SubmissionKey
from aduan.complaints.privacy import confidential_label
from aduan.complaints.tracking import code_candidates
from aduan.core.exceptions import NotFound
from aduan.core.masking import mask_email, mask_nik, mask_phone
from aduan.core.validators import format_phone_local


def complaint_list_for_user(user: User) -> QuerySet[Complaint]:
    return complaints_visible_to(user).select_related("channel", "unit", "service_type")


_TRACKED_RELATED = ("office", "channel", "unit", "service_type")


def tracked_get(code: str, *, related: tuple[str, ...] = _TRACKED_RELATED, case: bool = True,
                pending: bool = False, candidates: list[str] | None = None,
                ) -> Complaint | SubmissionKey:
    """The one door from a tracking code as the reporter typed it (any case, with or without
    separators; tracking.py) to what it tracks: the public case (secret, LAPOR! rahasia, cases
    are not public), else, with `pending`, the web submission accepted and not registered yet
    (decision 0015; its id, code, time of receipt and office only). Malformed, unknown and
    secret codes all raise the same NotFound, a malformed one without a statement.

    `related`: what to read with the case in the same query. `case=False`: the caller has
    looked for the case its own way (the portal's one-statement read,
    portal.selectors.public_case_find) and asks for the pending submission only.
    `candidates`: `code_candidates(code)` when the caller has them already."""
    if candidates is None:
        candidates = code_candidates(code)
    if not candidates:
        raise NotFound()
    if case:
        complaint = (Complaint.objects.select_related(*related)
                     .filter(tracking_code__in=candidates, is_secret=False).first())
        if complaint is not None:
            return complaint
    if pending:
        row = (SubmissionKey.objects.filter(tracking_code__in=candidates, complaint__isnull=True)
               .only("id", "tracking_code", "received_at", "office_id").first())
        if row is not None:
            return row
    raise NotFound()


def complaint_get_by_tracking_code(
        code: str, *, related: tuple[str, ...] = _TRACKED_RELATED) -> Complaint:
    """The public case for a tracking code (`tracked_get`, the case only); NotFound for a
    malformed, unknown or secret code alike."""
    # Without `pending` the door finds a case or raises.
    return cast(Complaint, tracked_get(code, related=related))


def normalise_register_number(raw: str) -> str:
    """A register number as people copy it: spaces around and inside collapsed."""
    return "".join((raw or "").split())[:100]


def complaint_get_by_number_and_phone(
        number: str, last_digits: str, *, office_id: int,
        related: tuple[str, ...] = ("channel", "rating"),
) -> Complaint:
    """The second way in for a reporter without their code: the register number and the last
    four digits of the phone on the case. A wrong number, wrong digits, a case without a phone,
    an anonymised reporter and a secret case all raise the same NotFound (no enumeration); the
    caller rate-limits per number and per address."""
    number = normalise_register_number(number)
    digits = "".join(c for c in (last_digits or "") if c.isdigit())
    if not number or len(digits) != 4 or len((last_digits or "").strip()) > 12:
        raise NotFound()
    complaint = (
        Complaint.objects.select_related("reporter", *related)
        .filter(office_id=office_id, register_number__iexact=number, is_secret=False).first()
    )
    phone = complaint.reporter.phone if complaint is not None else ""
    expected = phone[-4:] if len(phone or "") >= 4 else "\0\0\0\0"
    matches = hmac.compare_digest(expected.encode(), digits.encode())
    if complaint is None or not matches or complaint.reporter.anonymised_at is not None:
        raise NotFound()
    return complaint


def complaint_public_timeline(complaint: Complaint) -> list[CaseEvent]:
    """Public events only: no internal notes, no clarifications, no names of staff."""
    return list(complaint.events.filter(is_public=True).order_by("created_at", "id"))


def complaint_last_status_change(complaint: Complaint) -> CaseEvent | None:
    """The event that put the case in its current status (with who did it), if any."""
    return (complaint.events.select_related("actor")
            .filter(status_after=complaint.status).exclude(status_before=F("status_after"))
            .order_by("-created_at", "-id").first())


def complaint_timeline_for_staff(complaint: Complaint) -> list[CaseEvent]:
    return list(complaint.events.select_related("actor").order_by("created_at", "id"))


@dataclass(frozen=True)
class ReporterView:
    """What a given viewer may see of a reporter; `is_masked` says whether it was hidden."""

    name: str
    nik: str
    address: str
    occupation: str
    phone: str
    email: str
    is_masked: bool
    is_anonymous: bool
    is_confidential: bool


def reporter_hidden(complaint: Complaint) -> ReporterView:
    """The reporter for anyone who may not see them (complaints/privacy.py, rule 2): a
    confidential reporter is "(dirahasiakan)" and an anonymous one has nothing; no part of
    the name, phone, e-mail or NIK is derived into the view."""
    r = complaint.reporter
    return ReporterView(
        name=confidential_label() if r.is_confidential and not r.is_anonymous else "",
        nik="", address="", occupation="", phone="", email="", is_masked=True,
        is_anonymous=r.is_anonymous, is_confidential=r.is_confidential)


def _hidden_for(user: User, complaint: Complaint) -> ReporterView:
    """An anonymous reporter's masked reply contact stays visible to the complaint team, who
    answer them; everyone else sees `reporter_hidden`."""
    r = complaint.reporter
    if r.is_anonymous and user.is_complaint_team:
        return ReporterView(name="", nik="", address="", occupation="",
                            phone=mask_phone(r.phone), email=mask_email(r.email),
                            is_masked=True, is_anonymous=True, is_confidential=r.is_confidential)
    return reporter_hidden(complaint)


def reporter_masked(complaint: Complaint) -> ReporterView:
    """The public/report view: phone, e-mail and NIK masked for a named reporter; nothing of
    an anonymous or confidential one."""
    r = complaint.reporter
    if r.is_anonymous or r.is_confidential:
        return reporter_hidden(complaint)
    return ReporterView(
        name=r.name, nik=mask_nik(r.nik), address="", occupation="", phone=mask_phone(r.phone),
        email=mask_email(r.email), is_masked=True, is_anonymous=False, is_confidential=False)


def reporter_for_staff(user: User, complaint: Complaint, *, purpose: str = "view") -> ReporterView:
    """The reporter as `user` may see it. Every unmasked view is logged (SPEC §6)."""
    # The case page hands over the instance its access check fetched (no second query).
    if not was_admitted(user, complaint) and complaint.pk not in complaints_visible_to(
            user).filter(pk=complaint.pk).values_list("pk", flat=True):
        raise NotFound()
    r = complaint.reporter
    if not may_see_identity(user, complaint):
        return _hidden_for(user, complaint)
    IdentityAccess.objects.create(reporter=r, complaint=complaint, user=user, purpose=purpose)
    return ReporterView(
        name=r.name, nik=r.nik, address=r.address, occupation=r.occupation,
        phone=format_phone_local(r.phone), email=r.email, is_masked=False,
        is_anonymous=r.is_anonymous, is_confidential=r.is_confidential)


def reporters_for_staff_bulk(user: User, complaints: list[Complaint], *,
                             purpose: str = "register") -> dict[int, ReporterView]:
    """`reporter_for_staff` for a list of complaints the caller already scoped with
    `complaints_visible_to(user)` (e.g. the register book): the same masking, and one
    bulk-written identity log row per unmasked reporter instead of a query per row."""
    views: dict[int, ReporterView] = {}
    log: list[IdentityAccess] = []
    for complaint in complaints:
        r = complaint.reporter
        if may_see_identity(user, complaint):
            log.append(IdentityAccess(reporter=r, complaint=complaint, user=user,
                                      purpose=purpose))
            views[complaint.pk] = ReporterView(
                name=r.name, nik="", address=r.address, occupation=r.occupation,
                phone=format_phone_local(r.phone), email=r.email, is_masked=False,
                is_anonymous=r.is_anonymous, is_confidential=r.is_confidential)
        else:
            views[complaint.pk] = _hidden_for(user, complaint)
    IdentityAccess.objects.bulk_create(log)
    return views
