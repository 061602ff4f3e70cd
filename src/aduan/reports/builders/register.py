"""The register book (buku register, SPEC §3): the complaint table and the reporter table.

Identity is shown as `complaints.selectors.reporters_for_staff_bulk` allows the viewer
(anonymous never, confidential only to the complaint team), masked otherwise; every unmasked row
is logged as an identity access (SPEC §6).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to
from aduan.complaints.models import Complaint
from aduan.complaints.privacy import complaint_redactor
from aduan.complaints.selectors import reporter_hidden, reporters_for_staff_bulk
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core.masking import mask_phone
from aduan.reports.builders.common import MONTHS_ID, date_id
from aduan.reports.selectors import Period

COMPLAINT_HEADER = ("No", "Bulan", "Tanggal surat pengaduan", "Isi pengaduan", "Ket")
REPORTER_HEADER = ("No", "Nama", "Alamat", "Pekerjaan", "Ket")
CHUNK = 2000


@dataclass(frozen=True)
class RegisterRow:
    no: int
    month: str
    letter_date: str
    content: str
    note: str
    name: str
    address: str
    occupation: str
    reporter_note: str

    def complaint_cells(self) -> tuple[str, ...]:
        return (str(self.no), self.month, self.letter_date, self.content, self.note)

    def reporter_cells(self) -> tuple[str, ...]:
        return (str(self.no), self.name, self.address, self.occupation, self.reporter_note)


def register_queryset(viewer: User, period: Period):  # type: ignore[no-untyped-def]
    return (complaints_visible_to(viewer)
            .filter(received_on__gte=period.start, received_on__lte=period.end)
            .select_related("channel", "reporter")
            .order_by("received_on", "register_sequence", "id"))


def register_count(viewer: User, period: Period) -> int:
    return register_queryset(viewer, period).count()


def register_rows(viewer: User, period: Period) -> Iterator[RegisterRow]:
    """The register rows in order of receipt, read in chunks; each chunk's reporters go
    through `reporters_for_staff_bulk`, which masks and writes the identity log."""
    chunk: list[Complaint] = []
    no = 0
    for complaint in register_queryset(viewer, period).iterator(chunk_size=CHUNK):
        chunk.append(complaint)
        if len(chunk) == CHUNK:
            yield from _rows(no, chunk, viewer)
            no += len(chunk)
            chunk = []
    yield from _rows(no, chunk, viewer)


def _rows(offset: int, chunk: list[Complaint], viewer: User) -> Iterator[RegisterRow]:
    if not chunk:
        return
    reporters = reporters_for_staff_bulk(viewer, chunk, purpose="register export")
    for i, c in enumerate(chunk, offset + 1):
        who = reporters[c.pk]
        if who.is_confidential and not who.is_masked:
            # Exports hide a confidential reporter whoever makes them (complaints/privacy.py).
            who = reporter_hidden(c)
        redact = complaint_redactor(c)
        status = "Selesai" if c.status in SETTLED_STATUSES else "Sedang dalam proses"
        if who.is_anonymous:
            note = "Anonim"
        elif who.is_masked:
            note = "Identitas dirahasiakan"
        else:
            note = "; ".join(filter(None, ["Rahasia" if who.is_confidential else "",
                                           mask_phone(c.reporter.phone)]))
        yield RegisterRow(
            no=i, month=f"{MONTHS_ID[c.received_on.month - 1]} {c.received_on.year}",
            letter_date=date_id(c.received_on), content=redact(c.description or c.subject),
            note=f"{c.register_number}; {c.channel.name}; {status}",
            name=who.name, address=who.address, occupation=who.occupation, reporter_note=note)
