"""The register book (buku register, SPEC §3): the complaint table and the reporter table.

Identity is shown as `complaints.access.may_see_identity` allows the viewer (anonymous never,
confidential only to the complaint team), masked otherwise; every unmasked row is logged as an
identity access (SPEC §6).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aduan.accounts.models import User
from aduan.complaints.access import complaints_visible_to, may_see_identity
from aduan.complaints.models import Complaint, IdentityAccess
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core.masking import mask_name, mask_phone
from aduan.reports.builders.common import MONTHS_ID, date_id
from aduan.reports.selectors import Period

COMPLAINT_HEADER = ("No", "Bulan", "Tanggal surat pengaduan", "Isi pengaduan", "Ket")
REPORTER_HEADER = ("No", "Nama", "Alamat", "Pekerjaan", "Ket")
LOG_BATCH = 2000


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
    pending: list[IdentityAccess] = []
    for no, c in enumerate(register_queryset(viewer, period).iterator(chunk_size=2000), 1):
        row = _row(no, c, viewer, pending)
        if len(pending) >= LOG_BATCH:
            IdentityAccess.objects.bulk_create(pending)
            pending.clear()
        yield row
    if pending:
        IdentityAccess.objects.bulk_create(pending)


def _row(no: int, c: Complaint, viewer: User, log: list[IdentityAccess]) -> RegisterRow:
    r = c.reporter
    status = "Selesai" if c.status in SETTLED_STATUSES else "Sedang dalam proses"
    note = f"{c.register_number}; {c.channel.name}; {status}"
    content = c.description or c.subject
    if r.is_anonymous:
        name, address, occupation, who = "", "", "", "Anonim"
    elif may_see_identity(viewer, c):
        log.append(IdentityAccess(reporter=r, complaint=c, user=viewer,
                                  purpose="register_export"))
        name, address, occupation = r.name, r.address, r.occupation
        who = "Dirahasiakan" if r.is_confidential else ""
        if r.phone:
            who = "; ".join(filter(None, [who, mask_phone(r.phone)]))
    else:
        name, address, occupation = mask_name(r.name), "", ""
        who = "Identitas dirahasiakan"
    return RegisterRow(no=no, month=f"{MONTHS_ID[c.received_on.month - 1]} "
                                      f"{c.received_on.year}",
                       letter_date=date_id(c.received_on), content=content, note=note,
                       name=name, address=address, occupation=occupation, reporter_note=who)
