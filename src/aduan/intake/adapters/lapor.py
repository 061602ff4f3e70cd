"""SP4N-LAPOR! in: reports dispositioned to the office, recorded by the complaint team from
the LAPOR! admin screen (form) or imported from a file export (CSV or XLSX).

No public LAPOR! API specification is known (SPEC §8), so there is no network adapter. The file
columns are documented in docs/channels.md; headers are matched case-insensitively.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.memberships import user_in_office
from aduan.accounts.models import User
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from aduan.intake.models import ImportJobStatus, InboundMessage, LaporImportJob, ParseStatus
from aduan.intake.parsing import match_service_type
from aduan.intake.services import channel_for_kind
from aduan.offices.models import ChannelKind, Classification, Office

TRACKING_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,49}$")
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024

# Column name -> accepted header spellings (lower-case).
COLUMNS: dict[str, tuple[str, ...]] = {
    "tracking_id": ("id_lapor", "id laporan", "nomor tiket", "tracking id", "id"),
    "received_on": ("tanggal", "tanggal laporan", "tanggal disposisi", "date"),
    "subject": ("judul", "judul laporan", "subject"),
    "description": ("isi", "isi laporan", "uraian", "description"),
    "classification": ("kategori", "klasifikasi", "jenis laporan", "classification"),
    "reporter_name": ("nama", "nama pelapor", "name"),
    "phone": ("telepon", "no hp", "nomor hp", "phone"),
    "email": ("email", "e-mail"),
    "is_anonymous": ("anonim", "anonymous"),
    "is_secret": ("rahasia", "secret"),
    "service_text": ("jenis perizinan", "jenis_perizinan", "layanan", "service type"),
}
REQUIRED = ("tracking_id", "received_on", "description")

CLASSIFICATIONS = {
    "pengaduan": Classification.COMPLAINT, "complaint": Classification.COMPLAINT,
    "aspirasi": Classification.ASPIRATION, "aspiration": Classification.ASPIRATION,
    "permintaan informasi": Classification.INFORMATION_REQUEST,
    "informasi": Classification.INFORMATION_REQUEST,
    "information_request": Classification.INFORMATION_REQUEST,
}
TRUE = {"ya", "y", "yes", "1", "true", "x", "v", "benar"}
FALSE = {"", "tidak", "t", "no", "n", "0", "false", "-"}


@dataclass
class LaporReport:
    tracking_id: str
    received_on: dt.date
    description: str
    subject: str = ""
    classification: str = Classification.COMPLAINT
    reporter_name: str = ""
    phone: str = ""
    email: str = ""
    is_anonymous: bool = False
    is_secret: bool = False
    service_text: str = ""


@dataclass
class ImportResult:
    created: list[Complaint] = field(default_factory=list)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _check_team(actor: User) -> None:
    if not actor.is_complaint_team:
        raise PermissionDenied(_("Hanya tim pengaduan yang dapat mencatat laporan SP4N-LAPOR!."))


def _received_at(day: dt.date) -> dt.datetime:
    now = timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


@transaction.atomic
def lapor_record(*, office: Office, report: LaporReport, actor: User,
                 provider: str = "lapor-form", raw: bytes | None = None,
                 message: InboundMessage | None = None) -> Complaint:
    """Register a LAPOR! report dispositioned to the office, with its tracking id.

    `anonim` keeps no identity (anonymous reporter); `rahasia` hides the whole case from the
    public (`is_secret`). The complaint's verify (3 working days), first follow-up (5 after
    disposition) and auto-close (10 after the final response) dates follow from the office's
    limits as the procedure moves on. A tracking id already recorded is refused. `message`
    is the row an import stored for this report before reading it (it becomes the case's
    inbound record).
    """
    _check_team(actor)
    tracking_id = (report.tracking_id or "").strip()
    if not TRACKING_ID.match(tracking_id):
        raise ValidationFailed(_("ID laporan LAPOR! tidak valid (huruf, angka, titik, garis "
                                 "miring atau tanda hubung; maksimal 50 karakter)."))
    if report.received_on > timezone.localdate():
        raise ValidationFailed(_("Tanggal laporan tidak boleh di masa depan."))
    existing = Complaint.objects.filter(office=office, lapor_tracking_id=tracking_id).first()
    if existing is not None:
        raise ValidationFailed(
            _("Laporan LAPOR! %(id)s sudah tercatat sebagai pengaduan %(number)s.")
            % {"id": tracking_id, "number": existing.register_number}, code="duplicate")
    channel = channel_for_kind(office, ChannelKind.LAPOR)
    if channel is None:
        raise ValidationFailed(_("Kantor belum memiliki saluran SP4N-LAPOR! yang aktif."))
    if report.is_anonymous:
        # LAPOR! answers an anonymous reporter itself: we keep nothing that names or reaches
        # them, in the case or in the stored payload (issue 11).
        report = replace(report, reporter_name="", phone="", email="")
        raw = None
    payload = raw if raw is not None else json.dumps(
        asdict(report), default=str, ensure_ascii=False).encode()
    if message is None:
        message = InboundMessage.objects.filter(channel_kind=ChannelKind.LAPOR,
                                                provider_message_id=tracking_id).first()
    else:
        message.provider_message_id = tracking_id
    if message is None:
        message = InboundMessage(channel_kind=ChannelKind.LAPOR,
                                 provider_message_id=tracking_id)
    message.office = office
    message.provider = provider
    message.raw = payload
    message.sender = report.email or report.phone
    message.sender_name = "" if report.is_anonymous else report.reporter_name
    message.subject = report.subject[:300]
    message.body = report.description
    message.received_at = _received_at(report.received_on)
    message.data = {**(message.data or {}), "kind": "message",
                    "classification": report.classification,
                    "is_anonymous": report.is_anonymous, "is_secret": report.is_secret}
    service_type = match_service_type(office, report.service_text) if report.service_text \
        else None
    description = report.description
    if report.service_text and service_type is None:
        description = _("Jenis perizinan: %(service)s\n\n%(text)s") % {
            "service": report.service_text, "text": description}
    complaint = complaint_register(
        office=office, channel=channel, subject=report.subject, description=description,
        reporter=ReporterInput(name=report.reporter_name, phone=report.phone,
                               email=report.email, is_anonymous=report.is_anonymous),
        received_at=message.received_at, classification=report.classification,
        service_type=service_type, lapor_tracking_id=tracking_id, is_secret=report.is_secret,
        created_by=actor, data={"lapor_tracking_id": tracking_id, "provider": provider})
    message.complaint = complaint
    message.parse_status = ParseStatus.CREATED
    message.error = ""
    message.processed_at = timezone.now()
    message.save()
    return complaint


# --------------------------------------------------------------------------------------------
# File import
# --------------------------------------------------------------------------------------------


def _read_rows(content: bytes) -> list[dict[str, Any]]:
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> list[dict[str, Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [dict(row) for row in reader]


def _read_xlsx(content: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationFailed(_("Berkas XLSX tidak dapat dibaca: %(error)s")
                               % {"error": str(exc)[:200]}) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    keys = [str(h or "").strip() for h in header]
    out = []
    for values in rows:
        if values is None or all(v in (None, "") for v in values):
            continue
        out.append(dict(zip(keys, values, strict=False)))
    book.close()
    return out


IDENTITY_COLUMNS = ("reporter_name", "phone", "email")


def _store_row(office: Office, row: dict[str, Any], mapping: dict[str, str], number: int,
               filename: str) -> InboundMessage:
    """One import row stored raw (without the identity of an anonymous row) before it is
    read; it waits in the review list until its outcome is written."""
    raw = json.dumps(_scrubbed(row, mapping), default=str, ensure_ascii=False).encode()
    return InboundMessage.objects.create(
        office=office, channel_kind=ChannelKind.LAPOR, provider="lapor-import", raw=raw,
        received_at=timezone.now(), parsed_at=timezone.now(),
        parse_status=ParseStatus.NEEDS_REVIEW,
        data={"kind": "import_row", "line": number, "file": filename[:300]},
        error=_("Baris %(row)s dari %(file)s belum dicatat (impor terputus); impor ulang "
                "berkasnya.") % {"row": number, "file": filename[:300]})


def _settle_row(item: InboundMessage, number: int, status: str, reason: str) -> None:
    item.parse_status = status
    item.error = _("Baris %(row)s: %(error)s") % {"row": number, "error": reason}
    item.processed_at = timezone.now()
    item.save(update_fields=["parse_status", "error", "processed_at", "updated_at"])


def _scrubbed(row: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """The row without name and contact when it is anonymous (an unreadable `anonim` value
    counts as anonymous here: when in doubt, keep less)."""
    column = mapping.get("is_anonymous")
    if column is None:
        return row
    try:
        anonymous = _as_bool(row.get(column), "anonim")
    except ApplicationError:
        anonymous = True
    if not anonymous:
        return row
    blank = {mapping[c] for c in IDENTITY_COLUMNS if c in mapping}
    return {key: ("" if key in blank else value) for key, value in row.items()}


def _as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), delimiter=";",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def _column_map(headers: list[str]) -> dict[str, str]:
    mapping = {}
    for header in headers:
        key = re.sub(r"\s+", " ", str(header or "").strip().lower().replace("_", " "))
        for column, spellings in COLUMNS.items():
            if column not in mapping and (key in spellings
                                          or key.replace(" ", "_") in spellings):
                mapping[column] = header
    return mapping


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S",
                "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise ValidationFailed(_("Tanggal “%(value)s” tidak dikenali (gunakan "
                             "YYYY-MM-DD atau DD/MM/YYYY).") % {"value": text})


def _as_bool(value: Any, column: str) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValidationFailed(_("Kolom %(column)s harus “ya” atau “tidak”.")
                           % {"column": column})


def _as_report(row: dict[str, Any], mapping: dict[str, str]) -> LaporReport:
    def get(column: str) -> Any:
        header = mapping.get(column)
        value = row.get(header) if header is not None else None
        return value.strip() if isinstance(value, str) else value

    for column in REQUIRED:
        if get(column) in (None, ""):
            raise ValidationFailed(_("Kolom %(column)s wajib diisi.")
                                   % {"column": COLUMNS[column][0]})
    category = str(get("classification") or "pengaduan").strip().lower()
    if category not in CLASSIFICATIONS:
        raise ValidationFailed(_("Kategori “%(value)s” tidak dikenal (pengaduan, "
                                 "aspirasi, permintaan informasi).") % {"value": category})
    phone = get("phone")
    return LaporReport(
        tracking_id=str(get("tracking_id")), received_on=_as_date(get("received_on")),
        description=str(get("description")), subject=str(get("subject") or ""),
        classification=CLASSIFICATIONS[category],
        reporter_name=str(get("reporter_name") or ""),
        phone=str(int(phone) if isinstance(phone, float) else phone or ""),
        email=str(get("email") or ""),
        is_anonymous=_as_bool(get("is_anonymous"), "anonim"),
        is_secret=_as_bool(get("is_secret"), "rahasia"),
        service_text=str(get("service_text") or ""))


def error_text(exc: ApplicationError) -> str:
    details = exc.extra.get("errors") if exc.extra else None
    if details:
        return exc.message + " " + "; ".join(m for msgs in details.values() for m in msgs)
    return exc.message


LAPOR_IMPORT_JOB = "intake.run_lapor_import"


def _import_rows(content: bytes) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows and the column mapping of an export, or a ValidationFailed saying why the file
    cannot be imported at all (checked before anything is stored)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("Berkas terlalu besar (maksimal 5 MB)."))
    rows = _read_rows(content)
    if not rows:
        raise ValidationFailed(_("Berkas tidak berisi baris data."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationFailed(_("Paling banyak %(n)s baris per impor.") % {"n": MAX_IMPORT_ROWS})
    mapping = _column_map(list(rows[0].keys()))
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in mapping]
    if missing:
        raise ValidationFailed(_("Kolom wajib tidak ada: %(columns)s.")
                               % {"columns": ", ".join(missing)})
    return rows, mapping


def lapor_import(*, office: Office, content: bytes, filename: str, actor: User,
                 progress: Callable[[int, ImportResult], None] | None = None) -> ImportResult:
    """Import a LAPOR! export; each row is registered on its own (one bad row does not stop the
    others). Rows already recorded are reported as duplicates; rows in error are listed with
    their line numbers and the whole file is kept on an InboundMessage for review.
    `progress(rows_done, result)` is called after each row."""
    _check_team(actor)
    rows, mapping = _import_rows(content)
    result = ImportResult()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        # Stored first, read second: a row that cannot be read is quarantined with its
        # reason, and a row interrupted by a crash stays in front of an officer.
        item = _store_row(office, row, mapping, number, filename)
        try:
            report = _as_report(row, mapping)
            result.created.append(lapor_record(office=office, report=report, actor=actor,
                                               provider="lapor-import", raw=bytes(item.raw),
                                               message=item))
        except ValidationFailed as exc:
            if exc.code == "duplicate":
                result.duplicates.append((number, str(row.get(mapping["tracking_id"])),
                                          exc.message))
                _settle_row(item, number, ParseStatus.IGNORED, exc.message)
            else:
                result.errors.append((number, error_text(exc)))
                _settle_row(item, number, ParseStatus.QUARANTINED, error_text(exc))
        except ApplicationError as exc:
            result.errors.append((number, exc.message))
            _settle_row(item, number, ParseStatus.QUARANTINED, exc.message)
        if progress is not None:
            progress(number - 1, result)
    scrubbed = [_scrubbed(row, mapping) for row in rows]
    if scrubbed != rows:
        # Anonymous rows carried a name or contact: the file is kept as CSV without them.
        content = _as_csv(scrubbed)
    InboundMessage.objects.create(
        office=office, channel_kind=ChannelKind.LAPOR, provider="lapor-import", raw=content,
        subject=filename[:300], received_at=timezone.now(), processed_at=timezone.now(),
        data={"kind": "import", "created": [c.pk for c in result.created],
              "duplicates": len(result.duplicates), "errors": result.errors},
        parse_status=ParseStatus.NEEDS_REVIEW if result.errors else ParseStatus.RESOLVED,
        error="\n".join(_("Baris %(row)s: %(error)s") % {"row": r, "error": e}
                        for r, e in result.errors),
        resolved_by=None if result.errors else actor)
    return result


def lapor_import_start(*, office: Office, content: bytes, filename: str,
                       actor: User) -> LaporImportJob:
    """Check the file now (an unusable file is refused at once, with the reason) and leave the
    rows to a background job (`LAPOR_IMPORT_JOB`, intake/tasks.py); the caller queues it and
    shows its progress page."""
    _check_team(actor)
    rows, _mapping = _import_rows(content)
    return LaporImportJob.objects.create(
        office=office, filename=filename[:300], content=content, total_rows=len(rows),
        created_by=actor)


# Progress is written every few rows (and at the end): enough for the page, few writes.
PROGRESS_EVERY = 10


def lapor_import_run(job_id: int) -> LaporImportJob:
    """The background job: import the rows of the job's file, writing progress as it goes,
    then the summary. Runs once: a job that is not queued is left alone."""
    job = LaporImportJob.objects.select_related("office", "created_by").get(pk=job_id)
    if job.status != ImportJobStatus.QUEUED:
        return job
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])

    def progress(done: int, result: ImportResult) -> None:
        if done % PROGRESS_EVERY and done != job.total_rows:
            return
        _job_counts(job, done, result)
        job.save(update_fields=["processed_rows", "created_count", "duplicate_count",
                                "error_count", "updated_at"])

    try:
        # The officer as they work in the job's office (roles may differ per office).
        actor = user_in_office(job.created_by, job.office_id)
        if actor is None:
            raise PermissionDenied(_("Pengunggah tidak lagi bekerja di kantor ini; impor "
                                     "dibatalkan."))
        result = lapor_import(office=job.office, content=bytes(job.content),
                              filename=job.filename, actor=actor, progress=progress)
    except ApplicationError as exc:
        job.status, job.failure = ImportJobStatus.FAILED, exc.message
    except Exception:
        job.status = ImportJobStatus.FAILED
        job.failure = _("Impor terhenti karena gangguan sistem. Baris yang sudah diproses "
                        "tetap tercatat; impor ulang berkas yang sama: baris yang sudah ada "
                        "dilewati.")
        job.content = b""
        job.finished_at = timezone.now()
        job.save()
        raise
    else:
        _job_counts(job, job.total_rows, result)
        problems = (
            [{"row": r, "kind": "duplicate", "message": m} for r, _id, m in result.duplicates]
            + [{"row": r, "kind": "error", "message": m} for r, m in result.errors])
        job.problems = sorted(problems, key=lambda p: int(p["row"]))
        job.status = ImportJobStatus.DONE
    job.content = b""
    job.finished_at = timezone.now()
    job.save()
    return job


def _job_counts(job: LaporImportJob, done: int, result: ImportResult) -> None:
    job.processed_rows = done
    job.created_count = len(result.created)
    job.duplicate_count = len(result.duplicates)
    job.error_count = len(result.errors)
