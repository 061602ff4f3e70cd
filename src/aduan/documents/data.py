"""What each printed document shows, as plain data: the builders never touch the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


def date_id(day: dt.date | None) -> str:
    """`2025-04-29` -> `29 April 2025` (Indonesian month names, independent of the locale)."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Letterhead:
    """The kop surat and the head's signature block, from the Office row."""

    government_name: str
    name: str
    city: str
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    fax: str = ""
    website: str = ""
    email: str = ""
    logo: bytes | None = None
    head_title: str = ""
    head_name: str = ""
    head_rank: str = ""
    head_nip: str = ""


@dataclass(frozen=True)
class ReporterBlock:
    """The reporter as the printing user may see it (masked unless allowed, SPEC §6)."""

    name: str
    nik: str
    address: str
    phone: str
    email: str
    is_masked: bool
    is_anonymous: bool


@dataclass(frozen=True)
class Entry:
    """One step written on a form: when, by whom, and what."""

    on: dt.date
    by: str
    text: str
    label: str = ""


@dataclass(frozen=True)
class ComplaintFormData:
    letterhead: Letterhead
    register_number: str
    reporter: ReporterBlock | None
    subject: str = ""
    description: str = ""
    received_by: str = ""
    received_on: dt.date | None = None


@dataclass(frozen=True)
class FollowUpFormData:
    letterhead: Letterhead
    register_number: str
    received_on: dt.date
    channel: str
    classification: str
    status: str
    reporter: ReporterBlock
    is_by_proxy: bool
    # Section C: None when the case has not been verified yet.
    checklist: dict[str, bool] | None
    within_authority: bool | None
    meets_requirements: bool | None
    description: str
    proposals: list[Entry] = field(default_factory=list)
    dispositions: list[Entry] = field(default_factory=list)
    clarifications: list[Entry] = field(default_factory=list)
    follow_ups: list[Entry] = field(default_factory=list)
    responses: list[Entry] = field(default_factory=list)
    is_followed_up: bool = False
    conclusion: Entry | None = None
    finding: str = ""
    closure: Entry | None = None
    working_days_taken: int | None = None
    officer_name: str = ""
    lead_name: str = ""
    signed_on: dt.date | None = None


@dataclass(frozen=True)
class LetterData:
    letterhead: Letterhead
    register_number: str
    received_on: dt.date
    channel: str
    subject: str
    reporter: ReporterBlock
    dated_on: dt.date | None
    responded_on: dt.date | None = None
    response: str = ""
    conclusion: str = ""
    reported_party: str = ""
