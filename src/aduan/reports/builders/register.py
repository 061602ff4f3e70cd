"""The register book (buku register, SPEC §3): the complaint table and the reporter table.

Identity is shown as `complaints.selectors.reporters_for_staff_bulk` allows the viewer
(anonymous never, confidential only to the complaint team), masked otherwise; every unmasked row
is logged as an identity access (SPEC §6).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, replace

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to
from aduan.complaints.models import Complaint
from aduan.complaints.privacy import complaint_redactor
from aduan.complaints.selectors import reporter_hidden, reporters_for_staff_bulk
from aduan.complaints.transfers import RegisterHop, register_hops
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core.masking import mask_phone
from aduan.offices.models import Channel
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


def period_hops(viewer: User, period: Period) -> list[RegisterHop]:
    """The numbers the viewer's office issued in the period that no case of it holds now
    (cases it forwarded to another office, forwards into it it refused), as the desk's
    register book lists them: for a viewer who sees the whole office (a unit's staff see their
    unit's cases only, and a hop has no unit here)."""
    if not viewer.sees_all_units or viewer.office_id is None:
        return []
    return register_hops(viewer.office_id, period.start, period.end)


def register_count(viewer: User, period: Period) -> int:
    return register_queryset(viewer, period).count() + len(period_hops(viewer, period))


def _hop_row(h: RegisterHop, channels: dict[int, str]) -> RegisterRow:
    """A register row that accounts for a number without the case's contents (the case is
    another office's, decision 0014)."""
    hop = h.hop
    if h.is_outbound:
        content = (f"Diteruskan ke {hop.to_office.name} (nomor {hop.to_register_number})")
        channel = channels.get((hop.restore or {}).get("channel_id"), "")
        note = "; ".join(filter(None, [h.number, channel,
                                       "Selesai (diteruskan ke instansi lain)"]))
    else:
        content = (f"Penerusan dari {hop.from_office.name} ditolak; pengaduan kembali ke "
                   f"pengirim (nomor {hop.from_register_number})")
        note = f"{h.number}; Penerusan ditolak"
    return RegisterRow(no=0, month=f"{MONTHS_ID[h.day.month - 1]} {h.day.year}",
                       letter_date=date_id(h.day), content=content, note=note, name="-",
                       address="-", occupation="-",
                       reporter_note="Identitas pada instansi penerima" if h.is_outbound
                       else "-")


def register_rows(viewer: User, period: Period) -> Iterator[RegisterRow]:
    """Every number of the period in order of receipt: the office's cases and its numbers
    that no case of it holds now (`period_hops`), numbered together."""
    period_hop_list = period_hops(viewer, period)
    channels = dict(Channel.objects.filter(
        pk__in={(h.hop.restore or {}).get("channel_id") for h in period_hop_list})
        .values_list("pk", "name")) if period_hop_list else {}
    hops = [((h.day, h.hop.from_register_sequence if h.is_outbound
              else h.hop.to_register_sequence), _hop_row(h, channels))
            for h in period_hop_list]
    hops.sort(key=lambda kr: kr[0])
    cases = (((row.day, row.sequence), row.row) for row in _case_rows(viewer, period))
    merged = heapq.merge(cases, hops, key=lambda kr: kr[0])
    for no, (_key, row) in enumerate(merged, start=1):
        yield replace(row, no=no)


@dataclass(frozen=True)
class _Keyed:
    day: dt.date
    sequence: int
    row: RegisterRow


def _case_rows(viewer: User, period: Period) -> Iterator[_Keyed]:
    """The register rows of the cases in order of receipt, read in chunks; each chunk's
    reporters go through `reporters_for_staff_bulk`, which masks and writes the identity
    log."""
    chunk: list[Complaint] = []
    no = 0
    for complaint in register_queryset(viewer, period).iterator(chunk_size=CHUNK):
        chunk.append(complaint)
        if len(chunk) == CHUNK:
            yield from _rows(no, chunk, viewer)
            no += len(chunk)
            chunk = []
    yield from _rows(no, chunk, viewer)


def _rows(offset: int, chunk: list[Complaint], viewer: User) -> Iterator[_Keyed]:
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
        yield _Keyed(c.received_on, c.register_sequence, RegisterRow(
            no=i, month=f"{MONTHS_ID[c.received_on.month - 1]} {c.received_on.year}",
            letter_date=date_id(c.received_on), content=redact(c.description or c.subject),
            note=f"{c.register_number}; {c.channel.name}; {status}",
            name=who.name, address=who.address, occupation=who.occupation, reporter_note=note))
