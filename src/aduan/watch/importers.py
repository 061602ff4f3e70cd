"""Import of permit applications from the exports offices have (CSV, XLSX) and from the
licensing system's push: one row pipeline, idempotent by application number.

A row is parsed into the application's fields (Indonesian dates in any of the usual
spellings, Excel serial numbers, blank cells), hashed, and written only when it differs from
what is stored: a re-import changes nothing. A row that cannot be read is kept aside with its
values and reasons (RejectedRow), never dropped. openpyxl is imported inside the reader.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.complaints.attachments import (
    MAX_ARCHIVE_ENTRIES,
    MAX_CONTENT_TYPES_PART,
    MAX_ENTRY_RATIO,
)
from aduan.core import crypto
from aduan.core.exceptions import ValidationFailed
from aduan.core.text import clean_text
from aduan.core.validators import normalize_phone
from aduan.offices.calendar import calendar_for_office
from aduan.watch.models import (
    AppStatus,
    ImportJob,
    ImportStatus,
    PermitApplication,
    PermitType,
    RejectedRow,
)
from aduan.watch.services import (
    compute_state,
    holder_resolver,
    permit_key,
    permit_type_get_or_create,
    watch_settings_for,
)

# An office's export of a year or two; the benchmark's 100,000 rows fit well within it.
MAX_IMPORT_BYTES = 60 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 100
MAX_CELL = 2000
# A 100,000-row sheet inflates to ~60 MB; more than this is not an export but a bomb.
MAX_XLSX_INFLATED = 400 * 1024 * 1024
BATCH = 1000

FIELDS: dict[str, Any] = {
    "number": gettext_lazy("Nomor permohonan"),
    "applicant_name": gettext_lazy("Nama pemohon"),
    "phone": gettext_lazy("Telepon/WhatsApp"),
    "email": gettext_lazy("E-mail"),
    "nib": gettext_lazy("NIB"),
    "permit_type": gettext_lazy("Jenis izin"),
    "submitted_on": gettext_lazy("Tanggal pengajuan"),
    "complete_on": gettext_lazy("Tanggal berkas lengkap"),
    "current_step": gettext_lazy("Tahap saat ini"),
    "holder": gettext_lazy("Posisi berkas (bidang/instansi)"),
    "status": gettext_lazy("Status"),
    "finished_on": gettext_lazy("Tanggal selesai"),
}
REQUIRED = ("number", "applicant_name", "permit_type", "submitted_on")

# Header spellings seen in licensing exports (SiCantik, OSS, spreadsheets kept by hand).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("nomor permohonan", "no permohonan", "no. permohonan", "nomor registrasi",
               "no registrasi", "no. registrasi", "nomor pendaftaran", "no pendaftaran",
               "application number", "number", "nomor"),
    "applicant_name": ("nama pemohon", "pemohon", "nama", "applicant", "applicant name"),
    "phone": ("telepon", "no hp", "no. hp", "nomor hp", "hp", "no telp", "no. telp",
              "telepon/wa", "whatsapp", "wa", "no wa", "phone", "kontak"),
    "email": ("email", "e-mail", "surel", "alamat email"),
    "nib": ("nib", "nomor induk berusaha"),
    "permit_type": ("jenis izin", "jenis perizinan", "jenis layanan", "nama izin", "izin",
                    "permit type", "layanan"),
    "submitted_on": ("tanggal pengajuan", "tgl pengajuan", "tgl. pengajuan",
                     "tanggal permohonan", "tgl permohonan", "tanggal daftar", "submitted"),
    "complete_on": ("tanggal berkas lengkap", "tgl berkas lengkap", "berkas lengkap",
                    "tanggal lengkap", "tgl lengkap", "tanggal verifikasi", "complete"),
    "current_step": ("tahap", "tahapan", "proses", "posisi", "tahap saat ini", "step"),
    "holder": ("instansi", "dinas", "unit", "bidang", "posisi berkas", "berada di",
               "dinas teknis", "holder", "instansi terkait"),
    "status": ("status", "keterangan status", "status permohonan"),
    "finished_on": ("tanggal selesai", "tgl selesai", "tanggal terbit", "tgl terbit",
                    "finished"),
}

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
DAY_NAMES = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu",
             "ahad")
EXCEL_EPOCH = dt.date(1899, 12, 30)
STATUS_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("tolak", "reject", "batal", "ditolak"), AppStatus.REJECTED),
    (("cabut", "withdraw"), AppStatus.WITHDRAWN),
    (("selesai", "terbit", "diterbitkan", "issued", "done", "disetujui", "sudah"),
     AppStatus.ISSUED),
]


class RowError(ValueError):
    pass


def _norm_header(value: object) -> str:
    return " ".join(str(value or "").replace("_", " ").lower().split())


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """field -> header: the office's saved choice when its header is present, else a known
    spelling of it."""
    present = {_norm_header(h): h for h in headers if str(h or "").strip()}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in FIELDS:
        chosen = (saved or {}).get(name)
        if chosen and _norm_header(chosen) in present:
            mapping[name] = present[_norm_header(chosen)]
            used.add(_norm_header(chosen))
    for name, spellings in SYNONYMS.items():
        if name in mapping:
            continue
        for spelling in spellings:
            if spelling in present and spelling not in used:
                mapping[name] = present[spelling]
                used.add(spelling)
                break
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str]) -> None:
    missing = [str(FIELDS[name]) for name in REQUIRED if not mapping.get(name)]
    if missing:
        raise ValidationFailed(_("Kolom wajib belum dipetakan: %(fields)s.")
                               % {"fields": ", ".join(missing)})
    unknown = [h for h in mapping.values() if h and h not in headers]
    if unknown:
        raise ValidationFailed(_("Kolom tidak ada di berkas: %(cols)s.")
                               % {"cols": ", ".join(unknown)})


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def parse_date(value: object) -> dt.date | None:
    """A date from an export cell: a date or datetime (XLSX), an Excel serial number,
    "5 Januari 2025", "Senin, 05 Jan 2025", "05/01/2025" (day first), "05-01-2025",
    "2025-01-05" or "2025-01-05 10:11:12". Blank is None; anything else raises RowError."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, bool):
        raise RowError(_("bukan tanggal"))
    if isinstance(value, int | float):
        return _excel_serial(float(value))
    text = " ".join(str(value).strip().lower().split())
    if not text or text in {"-", "--", "n/a", "na", "null", "none", "0"}:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _excel_serial(float(text))
    try:
        return _text_date(_DAY_NAME.sub("", text))
    except ValueError:
        raise RowError(_("tanggal tidak ada di kalender")) from None


_DAY_NAME = re.compile(r"^(?:{}),?\s+".format("|".join(re.escape(d) for d in DAY_NAMES)))
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?.*)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})"
                      r"(?: \d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?")
_NAMED = re.compile(r"(\d{1,2})[ \-/]([a-z]+)\.?[ \-/,]+(\d{4})")


def _text_date(text: str) -> dt.date:
    """ValueError for a day that does not exist, RowError for an unknown spelling."""
    if m := _ISO.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.fullmatch(text):
        year = int(m[3])
        return dt.date(year + 2000 if year < 100 else year, int(m[2]), int(m[1]))
    if m := _NAMED.fullmatch(text):
        month = MONTHS.get(m[2])
        if month is None:
            raise RowError(_("nama bulan tidak dikenal"))
        return dt.date(int(m[3]), month, int(m[1]))
    raise RowError(_("format tanggal tidak dikenal"))


def _excel_serial(serial: float) -> dt.date:
    if not 20000 <= serial <= 80000:  # 1954 .. 2119
        raise RowError(_("angka tanggal Excel di luar rentang"))
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_status(value: str) -> str:
    text = value.lower()
    for words, status in STATUS_WORDS:
        if any(w in text for w in words):
            return status
    return AppStatus.IN_PROCESS


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class ParsedRow:
    number: str
    applicant_name: str
    phone: str
    email: str
    nib: str
    permit_type: str
    submitted_on: dt.date
    complete_on: dt.date | None
    current_step: str
    holder: str
    status: str
    finished_on: dt.date | None

    def fingerprint(self) -> str:
        """A keyed hash of the values (they include personal data, hence keyed)."""
        values = [self.number, self.applicant_name, self.phone, self.email, self.nib,
                  permit_key(self.permit_type), self.submitted_on.isoformat(),
                  self.complete_on.isoformat() if self.complete_on else "",
                  self.current_step, self.holder, self.status,
                  self.finished_on.isoformat() if self.finished_on else ""]
        return crypto.blind_index(json.dumps(values, ensure_ascii=False))


def import_phone(raw: str) -> str:
    """E.164 of a phone in an export: a valid number as the rest of Aduan accepts it, or a
    possible one (a foreign WhatsApp number the metadata does not know); else an error."""
    try:
        return normalize_phone(raw)
    except ValidationError:
        import phonenumbers

        try:
            number = phonenumbers.parse(raw, "ID")
        except phonenumbers.NumberParseException:
            raise ValidationError("phone", code="phone_invalid") from None
        if not phonenumbers.is_possible_number(number):
            raise ValidationError("phone", code="phone_invalid") from None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _text(raw: dict[str, object], name: str, limit: int, errors: list[str]) -> str:
    value = cell_text(raw.get(name))
    if len(value) > MAX_CELL:
        errors.append(_("%(field)s terlalu panjang") % {"field": FIELDS[name]})
        return ""
    value = clean_text(value, multiline=False)
    if len(value) > limit:
        errors.append(_("%(field)s lebih dari %(n)s karakter") % {"field": FIELDS[name],
                                                                   "n": limit})
    return value


def _date(raw: dict[str, object], name: str, errors: list[str]) -> dt.date | None:
    try:
        return parse_date(raw.get(name))
    except RowError as exc:
        errors.append(f"{FIELDS[name]}: {exc} ({cell_text(raw.get(name))[:40]})")
        return None


def _date_order_errors(submitted: dt.date | None, complete: dt.date | None,
                       finished: dt.date | None, today: dt.date) -> list[str]:
    errors = []
    for label, day in ((FIELDS["submitted_on"], submitted), (FIELDS["complete_on"], complete),
                       (FIELDS["finished_on"], finished)):
        if day is not None and day > today:
            errors.append(_("%(field)s di masa depan") % {"field": label})
        if day is not None and day.year < 1990:
            errors.append(_("%(field)s sebelum 1990") % {"field": label})
    if submitted and complete and complete < submitted:
        errors.append(_("Tanggal berkas lengkap sebelum tanggal pengajuan"))
    start = complete or submitted
    if finished and start and finished < start:
        errors.append(_("Tanggal selesai sebelum berkas lengkap"))
    return errors


def parse_row(raw: dict[str, object], *, today: dt.date) -> ParsedRow:
    """The fields of one row (field name -> cell value); RowError listing every problem."""
    errors: list[str] = []
    number = _text(raw, "number", 100, errors)
    name = _text(raw, "applicant_name", 200, errors)
    permit_type = _text(raw, "permit_type", 200, errors)
    for field_name, value in (("number", number), ("applicant_name", name),
                              ("permit_type", permit_type)):
        if not value and not any(str(FIELDS[field_name]) in e for e in errors):
            errors.append(_("%(field)s kosong") % {"field": FIELDS[field_name]})
    phone_raw = _text(raw, "phone", 40, errors)
    phone = ""
    if phone_raw:
        try:
            phone = import_phone(phone_raw)
        except ValidationError:
            errors.append(_("Nomor telepon tidak valid (%(value)s)") % {"value": phone_raw[:40]})
    email = _text(raw, "email", 254, errors).lower()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors.append(_("E-mail tidak valid (%(value)s)") % {"value": email[:60]})
    nib = re.sub(r"[\s.\-]", "", _text(raw, "nib", 40, errors))
    if nib and not re.fullmatch(r"\d{13}", nib):
        errors.append(_("NIB harus 13 angka (%(value)s)") % {"value": nib[:40]})
    submitted = _date(raw, "submitted_on", errors)
    if submitted is None and not any(str(FIELDS["submitted_on"]) in e for e in errors):
        errors.append(_("%(field)s kosong") % {"field": FIELDS["submitted_on"]})
    complete = _date(raw, "complete_on", errors)
    finished = _date(raw, "finished_on", errors)
    current_step = _text(raw, "current_step", 200, errors)
    holder = _text(raw, "holder", 200, errors)
    status_text = _text(raw, "status", 100, errors)
    status = parse_status(status_text) if status_text else (
        AppStatus.ISSUED if finished else AppStatus.IN_PROCESS)
    errors.extend(_date_order_errors(submitted, complete, finished, today))
    if errors:
        raise RowError("; ".join(errors))
    assert submitted is not None
    return ParsedRow(number=number, applicant_name=name, phone=phone, email=email, nib=nib,
                     permit_type=permit_type, submitted_on=submitted, complete_on=complete,
                     current_step=current_step, holder=holder, status=status,
                     finished_on=finished)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def file_kind(name: str, head: bytes) -> str:
    """"xlsx" for a zip archive (checked later), "csv" for text; ValidationFailed else."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationFailed(_("Berkas \u201c%(name)s\u201d bukan CSV atau XLSX.")
                               % {"name": name})
    return "csv"


def check_xlsx(file: IO[bytes], name: str) -> None:
    """Refuse a zip bomb or a non-spreadsheet archive from its central directory alone (the
    limits of complaints/attachments.py, with room for a large sheet)."""
    unsafe = ValidationFailed(
        _("Berkas \u201c%(name)s\u201d tidak dapat dibaca: isinya rusak atau terlalu besar "
          "setelah dibuka. Simpan ulang sebagai XLSX atau CSV.") % {"name": name})
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ARCHIVE_ENTRIES:
                raise unsafe
            total = 0
            offsets = set()
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if (total > MAX_XLSX_INFLATED
                        or (info.file_size > 1024 * 1024 and ratio > MAX_ENTRY_RATIO)
                        or info.flag_bits & 0x1 or info.header_offset in offsets):
                    raise unsafe
                offsets.add(info.header_offset)
            info = archive.NameToInfo.get("[Content_Types].xml")
            if info is None or info.file_size > MAX_CONTENT_TYPES_PART:
                raise unsafe
            with archive.open(info) as part:
                types = part.read(MAX_CONTENT_TYPES_PART).decode("utf-8", "replace")
            if "spreadsheetml.sheet.main+xml" not in types:
                raise ValidationFailed(_("Berkas \u201c%(name)s\u201d bukan XLSX.")
                                       % {"name": name})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, KeyError,
            OSError, RuntimeError, EOFError, ValueError):
        raise unsafe from None
    finally:
        file.seek(0)


def _decode_lines(file: IO[bytes]) -> Iterator[str]:
    """Lines of text (ends kept, split on "\n" only) decoded as they are read: UTF-16 when
    it has its byte-order mark, else UTF-8 with or without one; bad bytes become U+FFFD."""
    head = file.read(4)
    file.seek(0)
    encoding = ("utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                else "utf-8-sig")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    buffer = ""
    while chunk := file.read(256 * 1024):
        buffer += decoder.decode(chunk)
        start = 0
        while (end := buffer.find("\n", start)) != -1:
            yield buffer[start:end + 1]
            start = end + 1
        buffer = buffer[start:]
    buffer += decoder.decode(b"", final=True)
    if buffer:
        yield buffer


def _csv_rows(file: IO[bytes]) -> Iterator[list[object]]:
    file.seek(0)
    sample = file.read(8192).decode("utf-8", "replace")
    file.seek(0)
    delimiter = ","
    first_line = sample.splitlines()[0] if sample else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    if max(counts.values(), default=0) > 0:
        delimiter = max(counts, key=lambda d: counts[d])
    csv.field_size_limit(MAX_CELL * 4)
    reader = csv.reader(_decode_lines(file), delimiter=delimiter)
    try:
        for row in reader:
            yield list(row[:MAX_COLUMNS])
    except csv.Error as exc:
        raise ValidationFailed(_("CSV tidak dapat dibaca: %(error)s") % {"error": exc}) from None


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    file.seek(0)
    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(row)
    finally:
        workbook.close()


def read_rows(file: IO[bytes], kind: str) -> Iterator[list[object]]:
    """Every row of the first sheet, blank rows skipped."""
    rows = _xlsx_rows(file) if kind == "xlsx" else _csv_rows(file)
    for row in rows:
        if any(v is not None and str(v).strip() for v in row):
            yield row


def read_headers(file: IO[bytes], kind: str) -> list[str]:
    for row in read_rows(file, kind):
        headers = [cell_text(v).strip() for v in row]
        while headers and not headers[-1]:
            headers.pop()
        seen: dict[str, int] = {}
        unique = []
        for i, raw in enumerate(headers):
            header = clean_text(raw, multiline=False)[:100] or _("Kolom %(n)s") % {"n": i + 1}
            if header in seen:
                seen[header] += 1
                unique.append(f"{header} ({seen[header]})")
            else:
                seen[header] = 1
                unique.append(header)
        return unique
    raise ValidationFailed(_("Berkas kosong: tidak ada baris judul kolom."))


def count_rows(file: IO[bytes], kind: str) -> int:
    if kind == "csv":
        file.seek(0)
        return max(0, sum(1 for _row in read_rows(file, kind)) - 1)
    from openpyxl import load_workbook

    file.seek(0)
    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return max(0, (sheet.max_row or 1) - 1)
    finally:
        workbook.close()


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)


class Writer:
    """Writes parsed rows of one office in batches; remembers the numbers seen in this run so
    a duplicate row is reported (a different second version is kept aside)."""

    def __init__(self, office_id: int, *, source: str, today: dt.date | None = None) -> None:
        self.office_id = office_id
        self.source = source
        self.today = today or timezone.localdate()
        self.calendar = calendar_for_office(office_id)
        self.settings = watch_settings_for(office_id)
        self.resolve_holder = holder_resolver(office_id)
        self.types: dict[str, PermitType] = {
            t.key: t for t in PermitType.objects.filter(office_id=office_id)}
        self.seen: dict[str, tuple[str, int]] = {}
        self.pending: list[tuple[int, dict[str, str], ParsedRow]] = []

    def permit_type(self, name: str) -> PermitType:
        key = permit_key(name)
        row = self.types.get(key)
        if row is None:
            row = permit_type_get_or_create(self.office_id, name,
                                            default_days=self.settings.default_sop_days)
            self.types[key] = row
        return row

    def add(self, row_number: int, raw: dict[str, object], outcome: Outcome) -> None:
        shown = {k: cell_text(v)[:MAX_CELL] for k, v in raw.items()}
        try:
            parsed = parse_row(raw, today=self.today)
        except RowError as exc:
            outcome.rejected += 1
            outcome.rejects.append((row_number, shown, [str(exc)]))
            return
        fingerprint = parsed.fingerprint()
        earlier = self.seen.get(parsed.number)
        if earlier is not None:
            if earlier[0] == fingerprint:
                outcome.unchanged += 1
            else:
                outcome.rejected += 1
                outcome.rejects.append((row_number, shown, [
                    _("Nomor permohonan %(number)s sudah ada di baris %(row)s dengan isi "
                      "berbeda; baris ini tidak diimpor.") % {"number": parsed.number,
                                                               "row": earlier[1]}]))
            return
        self.seen[parsed.number] = (fingerprint, row_number)
        self.pending.append((row_number, shown, parsed))
        if len(self.pending) >= BATCH:
            self.flush(outcome)

    def flush(self, outcome: Outcome) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        try:
            self._write(rows, outcome)
        except IntegrityError:
            # Another import created some of these numbers meanwhile: read them again, so
            # they are updated instead of created twice.
            self._write(rows, outcome)

    def _write(self, rows: list[tuple[int, dict[str, str], ParsedRow]],
               outcome: Outcome) -> None:
        numbers = [parsed.number for _n, _s, parsed in rows]
        existing = {app.number: app for app in PermitApplication.objects.filter(
            office_id=self.office_id, number__in=numbers).select_related("permit_type")}
        creates: list[PermitApplication] = []
        updates: list[PermitApplication] = []
        unchanged = 0
        now = timezone.now()
        for _row_number, _shown, parsed in rows:
            fingerprint = parsed.fingerprint()
            app = existing.get(parsed.number)
            if app is not None and app.source_hash == fingerprint:
                unchanged += 1
                continue
            if app is None:
                app = PermitApplication(office_id=self.office_id, number=parsed.number,
                                        created_at=now)
                creates.append(app)
            else:
                updates.append(app)
            self._fill(app, parsed, fingerprint)
            app.updated_at = now
        with transaction.atomic():
            if creates:
                PermitApplication.objects.bulk_create(creates, batch_size=500)
            if updates:
                PermitApplication.objects.bulk_update(updates, UPDATE_FIELDS, batch_size=500)
        outcome.unchanged += unchanged
        outcome.created += len(creates)
        outcome.updated += len(updates)

    def _fill(self, app: PermitApplication, parsed: ParsedRow, fingerprint: str) -> None:
        permit_type = self.permit_type(parsed.permit_type)
        app.number_key = number_key(parsed.number)
        app.applicant_name = parsed.applicant_name
        app.set_contacts(phone=parsed.phone, email=parsed.email)
        app.nib = parsed.nib
        app.permit_type = permit_type
        app.submitted_on = parsed.submitted_on
        app.complete_on = parsed.complete_on
        app.current_step = parsed.current_step
        app.holder_name = parsed.holder
        app.holder_unit_id, app.holder_agency_id = self.resolve_holder(parsed.holder)
        app.status = parsed.status
        app.finished_on = parsed.finished_on
        app.source_hash = fingerprint
        app.source = self.source
        computed = compute_state(
            sop_days=permit_type.sop_days, complete_on=parsed.complete_on,
            status=parsed.status, finished_on=parsed.finished_on, today=self.today,
            calendar=self.calendar, at_risk_percent=self.settings.at_risk_percent)
        app.sop_days = computed.sop_days
        app.due_on = computed.due_on
        app.used_days = computed.used_days
        if app.state != computed.state or app.state_since is None:
            app.state = computed.state
            app.state_since = self.today


UPDATE_FIELDS = ["number_key", "applicant_name", "phone_encrypted", "phone_index",
                 "email_encrypted", "nib", "permit_type", "submitted_on", "complete_on",
                 "current_step", "holder_name", "holder_unit", "holder_agency", "status",
                 "finished_on", "source_hash", "source", "sop_days", "due_on", "used_days",
                 "state", "state_since", "updated_at"]


def number_key(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()[:100]


def import_rows(office_id: int, rows: Iterable[tuple[int, dict[str, object]]], *,
                source: str, progress: Callable[[int, Outcome], None] | None = None,
                today: dt.date | None = None) -> Outcome:
    """Parse and write (row number, field -> value) pairs; the outcome with the rejects."""
    writer = Writer(office_id, source=source, today=today)
    outcome = Outcome()
    done = 0
    for row_number, raw in rows:
        writer.add(row_number, raw, outcome)
        done += 1
        if progress is not None and done % BATCH == 0:
            writer.flush(outcome)
            progress(done, outcome)
    writer.flush(outcome)
    if progress is not None:
        progress(done, outcome)
    return outcome


def mapped_rows(file: IO[bytes], kind: str, headers: list[str],
                mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as the spreadsheet shows it, field -> value) for every data row."""
    index = {name: headers.index(header) for name, header in mapping.items()
             if header and header in headers}
    for number, row in enumerate(read_rows(file, kind), start=1):
        if number == 1:
            continue
        if number > MAX_ROWS + 1:
            raise ValidationFailed(_("Berkas lebih dari %(n)s baris; bagi menjadi beberapa "
                                     "berkas.") % {"n": MAX_ROWS})
        yield number, {name: row[i] if i < len(row) else None for name, i in index.items()}


def job_run(job: ImportJob) -> ImportJob:
    """Run a mapped import job (the body of the background task): progress is written every
    thousand rows, rejected rows are kept with the job."""
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING,
                                               started_at=timezone.now(), error="")
    job.refresh_from_db()
    saved_rejects = 0

    def progress(done: int, outcome: Outcome) -> None:
        nonlocal saved_rejects
        new = outcome.rejects[saved_rejects:]
        RejectedRow.objects.bulk_create([
            RejectedRow(job=job, row_number=n, values=values, errors=errors)
            for n, values, errors in new], batch_size=500)
        saved_rejects = len(outcome.rejects)
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=done, created=outcome.created, updated=outcome.updated,
            unchanged=outcome.unchanged, rejected=outcome.rejected,
            rows_total=max(job.rows_total, done), updated_at=timezone.now())

    try:
        with job.file.open("rb") as handle:
            if not job.rows_total:
                total = count_rows(handle, job.file_kind)
                ImportJob.objects.filter(pk=job.pk).update(rows_total=total)
                job.rows_total = total
            import_rows(job.office_id, mapped_rows(handle, job.file_kind, job.headers,
                                                   job.mapping),
                        source=job.file_kind, progress=progress)
    except Exception as exc:  # the job records the failure; rows written so far stay
        message = str(exc) if isinstance(exc, ValidationFailed) else _(
            "Impor berhenti karena galat: %(error)s") % {"error": type(exc).__name__}
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED,
                                                   error=message[:2000],
                                                   finished_at=timezone.now())
        if not isinstance(exc, ValidationFailed):
            raise
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE,
                                                   finished_at=timezone.now())
    job.refresh_from_db()
    return job
