"""Fixtures for the documents tests: the demo office with its seed cases, and PDF reading."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from aduan.accounts.models import User
from aduan.accounts.testing import login_verified
from aduan.complaints import services
from aduan.complaints.models import Complaint
from aduan.demo.seed import load_seed_complaints
from aduan.offices.models import Office

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:200]
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_lines(content: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(content).splitlines() if line.strip()]


def is_checked(lines: list[str], label: str) -> bool:
    """A checked box prints an X right before its label; an empty box prints nothing."""
    index = lines.index(label)
    return index > 0 and lines[index - 1] == "X"


def value_of(lines: list[str], label: str) -> str:
    """The value after `Label` and `:` in a field table."""
    index = lines.index(label)
    assert lines[index + 1] == ":"
    return lines[index + 2]


@pytest.fixture
def seeded(users, office: Office) -> dict[int, Complaint]:
    """The 32 seed complaints of the demo office, walked through the real services."""
    load_seed_complaints(office)
    return {c.events.get(kind="received").data["seed_no"]: c
            for c in Complaint.objects.filter(office=office)}


@pytest.fixture
def fetch() -> Callable[..., object]:
    """GET a documents URL as `user` (None: not logged in)."""

    def _fetch(user: User | None, name: str, complaint: Complaint | None = None):  # type: ignore[no-untyped-def]
        client = Client()
        if user is not None:
            login_verified(client, user)
        args = [complaint.pk] if complaint is not None else []
        return client.get(reverse(f"documents:{name}", args=args))

    return _fetch


@pytest.fixture
def walk_in(office: Office, officer: User) -> Callable[..., Complaint]:
    """A walk-in complaint recorded by the officer, with the reporter given."""

    def _make(**reporter: object) -> Complaint:
        data = {"name": "Siti Aminah", "nik": "1403024107900001",
                "address": "Jl. Pramuka No. 5", "phone": "081234567890",
                "email": "siti@contoh.id", "consent": True, **reporter}
        is_by_proxy = bool(data.pop("is_by_proxy", False))
        return services.complaint_register(
            office=office, channel=office.channels.get(code="meja_pengaduan"),
            subject="Izin apotek belum selesai",
            description="Sudah 1 bulan berkas izin apotek belum diverifikasi.",
            reporter=services.ReporterInput(**data),  # type: ignore[arg-type]
            received_at=at(dt.date(2025, 4, 28), 9), created_by=officer,
            is_by_proxy=is_by_proxy)

    return _make


def conclude(complaint: Complaint, *, officer: User, lead: User, unit_user: User,
             proven: bool, close: bool = True) -> Complaint:
    """Walk a case through verify, dispose, clarify, respond, conclude (and close)."""
    pk = complaint.pk
    day = complaint.received_on
    services.complaint_verify(complaint_id=pk, actor=officer, checklist=services.Checklist(
        ktp_seen=True, kk_seen=True, chronology_present=True), at=at(day, 10))
    services.complaint_dispose(complaint_id=pk, actor=lead, unit=unit_user.unit,
                               at=at(day, 11))
    services.complaint_clarify(complaint_id=pk, actor=unit_user, at=at(day, 13),
                               clarification="Berkas sudah diverifikasi pada hari ini.")
    services.complaint_respond(complaint_id=pk, actor=officer, at=at(day, 14),
                               response="Izin Saudara sudah terbit.")
    next_day = day + dt.timedelta(days=1)
    services.complaint_conclude(
        complaint_id=pk, actor=lead, proven=proven, at=at(next_day, 9),
        conclusion="Petugas terlambat memverifikasi berkas." if proven
        else "Berkas diverifikasi sesuai standar pelayanan.")
    if close:
        services.complaint_close(complaint_id=pk, actor=officer, at=at(next_day, 10))
    return Complaint.objects.get(pk=pk)
