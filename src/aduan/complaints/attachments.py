"""Attachments of a case: one pipeline for every channel (portal, desk, API, WhatsApp, e-mail,
LAPOR!) and for the documents staff add to an existing case.

Entry point for a channel adapter (a stream, never a whole file in memory)::

    from aduan.complaints.attachments import MESSAGING_TYPES, attachment_batch, attachment_ingest

    with attachment_batch():                          # owns every file written inside it
        staged = attachment_ingest(response.iter_bytes(), name="foto.jpg",
                                   allowed=MESSAGING_TYPES)       # AttachmentRefused / StorageFull
        with transaction.atomic():
            complaint = ...
            attachment_add(complaint=complaint, file=staged, event=event)

`attachment_ingest(source, *, name, allowed)` accepts a Django `File`/`UploadedFile`, bytes, a
binary stream (`.read`) or an iterable of byte chunks (`httpx.Response.iter_bytes()`). It

1. copies the stream to a staging file under MEDIA_ROOT in 64 KiB chunks and stops at
   ADUAN_MAX_ATTACHMENT_BYTES + 1 byte: nothing larger is ever buffered or written;
2. takes the type from the content (magic bytes), never from the name or the claimed type;
3. checks zip-based formats (DOCX, XLSX, ODT, ODS) from the central directory only: entry
   count, declared sizes, compression ratio, overlapping or encrypted entries; of the one
   entry it reads (`[Content_Types].xml`) at most 200 KB are inflated, never an entry whole;
4. opens images with a pixel limit (header first: a 50,000 x 50,000 PNG is refused before a
   pixel is decoded), decodes them and re-encodes them without metadata: EXIF (GPS), XMP,
   IPTC and comments are gone, and so is anything appended after the image (polyglots). The
   original is not kept;
5. returns a `StagedFile` (type, extension, size and sha256 of what will be stored).

`attachment_add(complaint=..., file=staged)` moves it under a random name next to the row.
Inside `attachment_batch()` every file written is removed again if the block ends with an
error (the transaction rolled back); whatever a crash leaves behind is found by
`manage.py attachments_check` (orphans removed, missing files reported). A full disk raises
`StorageFull`: a clear message for the reporter and an alert on the officers' desk.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import lzma
import os
import threading
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.models import Role, User
from aduan.complaints.access import access_complaint
from aduan.complaints.events import complaint_attachments_added_event
from aduan.complaints.models import Attachment, CaseEvent, Complaint
from aduan.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from aduan.core.text import clean_text

logger = logging.getLogger(__name__)

# Documents and pictures a citizen attaches on the web, the desk or the API.
DOCUMENT_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
# What messaging apps send besides documents: more image formats, voice notes, short videos,
# older and open office formats.
MESSAGING_TYPES: dict[str, str] = {
    **DOCUMENT_TYPES,
    "image/gif": "gif", "image/heic": "heic", "image/heif": "heif",
    "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/amr": "amr",
    "video/mp4": "mp4", "video/3gpp": "3gp",
}
# Office Open XML documents are zip archives; [Content_Types].xml names their main part.
_OOXML_PARTS = {
    "wordprocessingml.document.main+xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "spreadsheetml.sheet.main+xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ODF_TYPES = ("application/vnd.oasis.opendocument.text",
              "application/vnd.oasis.opendocument.spreadsheet")
_ZIP_TYPES = frozenset({"application/zip", *_OOXML_PARTS.values(), *_ODF_TYPES})
# Images Pillow decodes and re-encodes (format name for saving).
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
                  "image/gif": "GIF"}
MAX_ATTACHMENTS = 5
# Documents added to a case over its life (registration, messages, desk): KTP, KK, power of
# attorney, permit copies, letters, the signed satisfaction statement. Bounds one case's storage.
MAX_ATTACHMENTS_PER_CASE = 20
MAX_ATTACHMENT_NOTE = 1000
# The people who handle a case; the head of office and the administrator only read it.
ATTACHMENT_ADD_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.UNIT_STAFF)

CHUNK = 64 * 1024
# Archives: a real DOCX or XLSX of a complaint has tens of entries and inflates to a few MB;
# text parts compress well (20:1 is usual, 100:1 happens for repetitive sheets).
MAX_ARCHIVE_ENTRIES = 1000
MAX_ARCHIVE_INFLATED = 100 * 1024 * 1024
MAX_ENTRY_RATIO = 200
MAX_CONTENT_TYPES_PART = 200_000
# Images: 40 megapixels covers phone cameras (12-48 MP); decoding one costs ~4 bytes a pixel.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_FRAMES = 100
# Stored images are re-encoded no larger than this on their long side (a 48 MP photo becomes
# ~12 MP, still sharp enough to read a letter photographed on a desk).
MAX_IMAGE_SIDE = 4096
JPEG_QUALITY = 85
STORAGE_ALERT_KEY = "aduan:alert:storage-full"
STAGING_DIR = ".staging"


class AttachmentRefused(ValidationFailed):
    code = "attachment_refused"


class StorageFull(ApplicationError):
    """The media disk is full: nothing was written, the reporter may try again later."""

    code = "storage_full"
    status_code = 507


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


@dataclass(eq=False)
class StagedFile:
    """A checked, cleaned file waiting under MEDIA_ROOT/.staging to be stored with its row."""

    path: Path
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


# --- Batches: every file written inside one is removed again if the block fails -------------


@dataclass(eq=False)
class _Batch:
    staged: list[Path] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)  # names in the media storage


_local = threading.local()


def _batches() -> list[_Batch]:
    if not hasattr(_local, "batches"):
        _local.batches = []
    batches: list[_Batch] = _local.batches
    return batches


@contextmanager
def attachment_batch() -> Iterator[None]:
    """Own the files staged and stored inside the block.

    On an exception (a refused file, a rolled-back transaction, a full disk) every file the
    block wrote is deleted before the exception goes on; on success only staged files that
    were never stored are deleted. Put the transaction inside the block, so the block ends
    after the commit or the rollback."""
    batch = _Batch()
    stack = _batches()
    stack.append(batch)
    try:
        yield
    except BaseException:
        for path in batch.staged:
            path.unlink(missing_ok=True)
        for name in batch.stored:
            _storage_delete(name)
        raise
    else:
        for path in batch.staged:
            path.unlink(missing_ok=True)
        if len(stack) > 1:  # an outer batch answers for them if its block fails
            stack[-2].stored.extend(batch.stored)
    finally:
        stack.pop()


def _storage_delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # the sweep (attachments_check) removes what could not be deleted now
        logger.warning("could not delete %s after a rollback", name, exc_info=True)


def _track(kind: str, path: Path | str) -> None:
    if stack := _batches():
        getattr(stack[-1], kind).append(path)


def _untrack_staged(path: Path) -> None:
    for batch in _batches():
        if path in batch.staged:
            batch.staged.remove(path)


# --- Checks -------------------------------------------------------------------------------


def _mb(limit: int) -> int:
    return limit // (1024 * 1024)


def attachment_check_size(*, name: str, size: int) -> None:
    """Refuse an oversized file before reading it."""
    limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise _too_large(name)


def _too_large(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal %(max)s MB).")
        % {"name": name, "max": _mb(settings.ADUAN_MAX_ATTACHMENT_BYTES)},
        code="attachment_too_large")


def _type_refused(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("Jenis berkas \u201c%(name)s\u201d tidak diterima. Lampirkan PDF, JPG, PNG, WebP, "
          "DOCX atau XLSX.") % {"name": name}, code="attachment_type")


def _unsafe(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("Berkas \u201c%(name)s\u201d tidak dapat diterima: isinya rusak atau terlalu besar "
          "setelah dibuka. Simpan ulang berkas itu lalu lampirkan lagi.") % {"name": name},
        code="attachment_unsafe")


def attachment_check(file: File, *, allowed: dict[str, str] = DOCUMENT_TYPES) -> CheckedFile:
    """The file's type from its content, if allowed; AttachmentRefused otherwise.

    An executable renamed `.pdf` is refused: the name is never trusted. Archives and images
    are checked with bounded reads (see the module's docstring). `file` must be seekable.
    """
    name = _display_name(file)
    size = file.size or 0
    attachment_check_size(name=name, size=size)
    if size == 0:
        raise AttachmentRefused(_("Berkas \u201c%(name)s\u201d kosong.") % {"name": name},
                                code="attachment_empty")
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else ""
    if mime in _ZIP_TYPES:
        mime = _archive_type(file, name)
    if mime not in allowed:
        raise _type_refused(name)
    if mime in _IMAGE_FORMATS:
        _image_open(file, name).close()
    return CheckedFile(mime, allowed[mime])


# What reading a malformed archive's directory and one entry raises (found by fuzzing forged
# DOCX/ODT files: complaints/tests/test_archive_check.py); anything else is a bug and goes on.
# Encrypted entries and missing parts never reach zipfile (checked before), so no RuntimeError
# or KeyError here.
MALFORMED_ARCHIVE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,  # broken structure, names or CRC that do not match
    NotImplementedError,  # a zip version, compression method or flag zipfile does not read
    EOFError,  # an entry's data ends early
    zlib.error,  # corrupt deflate data
    lzma.LZMAError,  # corrupt LZMA data
    OSError,  # corrupt bzip2 data ("Invalid data stream")
    ValueError,  # a forged offset (negative seek), an undecodable entry name
)


def _archive_type(file: IO[bytes], name: str) -> str:
    """The office type of a zip archive, read from its directory and one bounded entry."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            _archive_limits(infos, name)
            if "mimetype" in archive.NameToInfo:  # OpenDocument: the first entry names it
                with archive.open("mimetype") as part:
                    declared = part.read(100).decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else ""
            info = archive.NameToInfo.get("[Content_Types].xml")
            if info is None or info.file_size > MAX_CONTENT_TYPES_PART:
                return ""
            with archive.open(info) as part:
                parts = part.read(MAX_CONTENT_TYPES_PART).decode("utf-8", "replace")
    except MALFORMED_ARCHIVE:
        return ""
    finally:
        file.seek(0)
    return next((mime for marker, mime in _OOXML_PARTS.items() if marker in parts), "")


def _archive_limits(infos: Sequence[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip bomb from its central directory alone: too many entries, too much declared
    content, an entry that inflates more than MAX_ENTRY_RATIO times, entries sharing their
    data (overlapping bombs), encrypted entries. zipfile never inflates an entry past its
    declared size, so the declared sizes bound all later work."""
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise _unsafe(name)
    total = 0
    offsets = set()
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (total > MAX_ARCHIVE_INFLATED or (info.file_size > 1024 * 1024
                                             and ratio > MAX_ENTRY_RATIO)
                or info.flag_bits & 0x1 or info.header_offset in offsets):
            raise _unsafe(name)
        offsets.add(info.header_offset)


def _image_open(file: IO[bytes], name: str):  # type: ignore[no-untyped-def]
    """An image opened (header read) within the pixel limit; pixels are decoded later."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_too_large(name) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _unsafe(name) from None
    width, height = image.size
    frames = getattr(image, "n_frames", 1)
    if (width * height > MAX_IMAGE_PIXELS or frames > MAX_IMAGE_FRAMES
            or width * height * frames > MAX_IMAGE_PIXELS * 2):
        image.close()
        raise _image_too_large(name, width, height)
    return image


def _image_too_large(name: str, width: int = 0, height: int = 0) -> AttachmentRefused:
    size = f" ({width} \u00d7 {height} " + _("piksel") + ")" if width else ""
    return AttachmentRefused(
        _("Gambar \u201c%(name)s\u201d terlalu besar%(size)s; paling besar %(max)s megapiksel. "
          "Kecilkan gambar itu lalu lampirkan lagi.")
        % {"name": name, "size": size, "max": MAX_IMAGE_PIXELS // 1_000_000},
        code="attachment_image_too_large")


# --- The pipeline ---------------------------------------------------------------------------


def _chunks(source: Any) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        for start in range(0, len(data), CHUNK):
            yield data[start:start + CHUNK]
    elif isinstance(source, File):
        source.seek(0)
        yield from source.chunks(CHUNK)
    elif hasattr(source, "read"):
        while chunk := source.read(CHUNK):
            yield chunk
    else:
        yield from source


def _staging_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / STAGING_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _new_staging_path() -> Path:
    path = _staging_dir() / uuid.uuid4().hex
    _track("staged", path)
    return path


def attachment_ingest(source: File | bytes | IO[bytes] | Iterable[bytes], *, name: str = "",
                      allowed: dict[str, str] = DOCUMENT_TYPES) -> StagedFile:
    """Stream `source` into a staging file, check it and clean it (module docstring).

    Raises AttachmentRefused (with the file's name in the message) or StorageFull; a refused
    or failed file leaves nothing on disk."""
    display = _display_name(source) if not name else _clean_name(name)
    limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
    path = _new_staging_path()
    try:
        received = 0
        with _disk_full_guard(), open(path, "xb") as out:
            for chunk in _chunks(source):
                received += len(chunk)
                if received > limit:
                    raise _too_large(display)
                out.write(chunk)
        with open(path, "rb") as staged:
            checked = attachment_check(File(staged, name=display), allowed=allowed)
        if checked.content_type in _IMAGE_FORMATS:
            path = _reencode(path, checked.content_type, display)
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedFile(path=path, name=display, content_type=checked.content_type,
                      extension=checked.extension, size=size, sha256=digest.hexdigest())


def _reencode(path: Path, content_type: str, name: str) -> Path:
    """Decode the image (within the pixel limit) and write it anew: only pixels survive, turned
    upright by their EXIF orientation; EXIF, GPS, XMP, IPTC, comments and trailing bytes are
    dropped. The colour profile is kept so colours stay true."""
    from PIL import Image, ImageOps, ImageSequence

    target = _new_staging_path()
    fmt = _IMAGE_FORMATS[content_type]
    try:
        with open(path, "rb") as raw, _image_open(raw, name) as image, _disk_full_guard():
            icc = image.info.get("icc_profile")
            frames = getattr(image, "n_frames", 1)
            if fmt == "JPEG":
                image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            options: dict[str, Any] = {"icc_profile": icc} if icc and fmt != "GIF" else {}
            if frames > 1 and fmt in {"GIF", "WEBP"}:
                pictures = [frame.copy() for frame in ImageSequence.Iterator(image)]
                pictures[0].save(target, fmt, save_all=True, append_images=pictures[1:],
                                 loop=image.info.get("loop", 0),
                                 duration=image.info.get("duration", 100), **options)
            else:
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                if fmt == "JPEG":
                    if picture.mode not in {"RGB", "L", "CMYK"}:
                        picture = picture.convert("RGB")
                    options.update(quality=JPEG_QUALITY, optimize=False, progressive=False)
                elif fmt == "WEBP":
                    options.update(quality=JPEG_QUALITY)
                picture.save(target, fmt, **options)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise _storage_full() from exc
        raise _unsafe(name) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    path.unlink(missing_ok=True)
    return target


@contextmanager
def _disk_full_guard() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _storage_full() from exc
        raise


def _storage_full() -> StorageFull:
    """Log, raise the officers' alert (a banner on the desk, in the cache: the database may sit
    on the same full disk) and return the reporter's error."""
    logger.error("attachment storage is full (MEDIA_ROOT=%s): uploads are refused",
                 settings.MEDIA_ROOT)
    try:
        cache.set(STORAGE_ALERT_KEY, timezone.now().isoformat(), timeout=24 * 60 * 60)
    except Exception:  # the alert must not hide the reporter's message
        logger.exception("could not record the storage alert")
    return StorageFull(_("Lampiran tidak dapat disimpan karena ruang penyimpanan server "
                         "sedang penuh. Pengaduan Anda belum terkirim; isian Anda tetap ada. "
                         "Coba lagi nanti, atau kirim tanpa lampiran. Petugas sudah diberi "
                         "tahu."))


def storage_alert() -> str | None:
    """When the media disk was last found full (ISO time), for the desk banner; None if not."""
    try:
        alert: str | None = cache.get(STORAGE_ALERT_KEY)
    except Exception:
        return None
    return alert


def storage_alert_clear() -> None:
    cache.delete(STORAGE_ALERT_KEY)


# --- Storing --------------------------------------------------------------------------------


def attachment_add(*, complaint: Complaint, file: File | StagedFile,
                   uploaded_by: User | None = None, event: CaseEvent | None = None,
                   is_public: bool = False,
                   allowed: dict[str, str] = DOCUMENT_TYPES) -> Attachment:
    """Store one attachment with its row. A `File` goes through `attachment_ingest` first.
    The stored name is random; the sender's file name is kept only as `original_name`."""
    staged = file if isinstance(file, StagedFile) else attachment_ingest(file, allowed=allowed)
    now = timezone.now()
    relative = f"attachments/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{staged.extension}"
    with _disk_full_guard():
        if isinstance(default_storage, FileSystemStorage):
            # Local disk: a rename on the same file system, atomic and needing no space.
            final = Path(default_storage.path(relative))
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, final)
        else:  # an object store (S3): upload the cleaned file under its random name
            with open(staged.path, "rb") as cleaned:
                relative = default_storage.save(relative, File(cleaned))
            staged.discard()
    _untrack_staged(staged.path)
    _track("stored", relative)
    attachment = Attachment(
        complaint=complaint, event=event, original_name=staged.name,
        content_type=staged.content_type, size=staged.size, sha256=staged.sha256,
        is_public=is_public, uploaded_by=uploaded_by)
    attachment.file.name = relative
    try:
        attachment.save()
    except BaseException:
        if not _batches():
            _storage_delete(relative)
        raise
    return attachment


def attachment_download_name(attachment: Attachment) -> str:
    """The name a download gets: the sender's name with the extension of the detected type
    (`foto.pdf` that is a JPEG downloads as `foto.jpg`)."""
    stem = attachment.original_name.rsplit(".", 1)[0] if "." in attachment.original_name[1:] \
        else attachment.original_name
    extension = (MESSAGING_TYPES.get(attachment.content_type)
                 or Path(attachment.file.name or "").suffix[1:])
    return f"{stem[:200] or 'lampiran'}.{extension}"


def _display_name(file: Any) -> str:
    return _clean_name(getattr(file, "name", "") or "berkas")


def _clean_name(name: str) -> str:
    return clean_text(name, multiline=False)[-255:] or "berkas"


def attachment_display_name(name: str) -> str:
    """A sender's file name fit to show: no path, no control or bidi characters."""
    return _clean_name((name or "").replace("\\", "/").rsplit("/", 1)[-1])


def attachment_may_add(user: User) -> bool:
    """Whether `user`'s role may add documents to the cases they can see."""
    return user.has_role(*ATTACHMENT_ADD_ROLES)


def complaint_attachments_add(*, complaint_id: int, actor: User, files: Sequence[File],
                              note: str = "") -> CaseEvent:
    """Add documents to an existing case: the reporter brings the missing permit copy or power
    of attorney (UU 25/2009: incomplete material is completed later), or the officer scans a
    letter or the signed satisfaction statement. Allowed in every status: adding changes no
    decision, and the event records when it happened.

    Preconditions: `actor` may see the case (`access_complaint`: unit staff only cases
    dispositioned to their unit, NotFound otherwise) and handles cases (officer, team lead,
    unit staff; PermissionDenied otherwise). At most MAX_ATTACHMENTS files at once and
    MAX_ATTACHMENTS_PER_CASE on the case; every file is checked and cleaned before the
    transaction, so a refusal leaves the case (and the disk) as it was. The case row is
    locked, so two uploads at once cannot pass the per-case limit together.

    Writes one internal ATTACHMENTS_ADDED event (the note as its text, the files named in its
    data) and the attachments, internal and linked to that event. No status change and no
    message to the reporter. Returns the event; its attachments are `event.attachments`.
    """
    note = (note or "").strip()
    if len(note) > MAX_ATTACHMENT_NOTE:
        raise ValidationFailed(_("Keterangan paling banyak %(n)s karakter.")
                               % {"n": MAX_ATTACHMENT_NOTE}, code="note_too_long")
    if not files:
        raise AttachmentRefused(_("Pilih setidaknya satu berkas."),
                                code="attachments_required")
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentRefused(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS},
                                code="too_many_attachments")
    with attachment_batch():
        staged = [attachment_ingest(file) for file in files]
        return _attachments_store(complaint_id=complaint_id, actor=actor, staged=staged,
                                  note=note)


@transaction.atomic
def _attachments_store(*, complaint_id: int, actor: User, staged: list[StagedFile],
                       note: str) -> CaseEvent:
    complaint = access_complaint(actor, complaint_id, for_update=True)
    if not attachment_may_add(actor):
        raise PermissionDenied(_("Peran Anda tidak dapat menambah lampiran."))
    existing = complaint.attachments.count()
    if existing + len(staged) > MAX_ATTACHMENTS_PER_CASE:
        left = max(MAX_ATTACHMENTS_PER_CASE - existing, 0)
        message = (_("Pengaduan ini sudah memiliki %(count)s lampiran; hanya %(left)s lagi yang "
                     "dapat ditambahkan (paling banyak %(max)s per pengaduan).") if left else
                   _("Pengaduan ini sudah memiliki %(count)s lampiran, batas per pengaduan "
                     "(%(max)s)."))
        raise AttachmentRefused(message % {"count": existing, "left": left,
                                           "max": MAX_ATTACHMENTS_PER_CASE},
                                code="too_many_attachments")
    event = complaint_attachments_added_event(complaint, actor=actor, note=note, files=[
        {"name": item.name, "content_type": item.content_type, "size": item.size}
        for item in staged])
    for item in staged:
        attachment_add(complaint=complaint, file=item, uploaded_by=actor, event=event)
    return event


# --- Orphans and missing files (manage.py attachments_check) ---------------------------------


@dataclass
class StorageReport:
    orphans: list[Path] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    removed: int = 0


def attachments_storage_check(*, remove: bool, min_age_seconds: int = 3600) -> StorageReport:
    """Files under attachments/ (in the media storage, local disk or object store) and
    .staging/ that no row names (older than `min_age_seconds`, so a transaction in flight is
    left alone), removed if `remove`; rows whose file is missing."""
    known = set(Attachment.objects.values_list("file", flat=True))
    report = StorageReport()
    cutoff = timezone.now() - dt.timedelta(seconds=min_age_seconds)
    for name in _storage_walk("attachments"):
        if name in known or default_storage.get_modified_time(name) > cutoff:
            continue
        report.orphans.append(Path(name))
        if remove:
            default_storage.delete(name)
            report.removed += 1
    staging = Path(settings.MEDIA_ROOT) / STAGING_DIR
    if staging.exists():
        for path in staging.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
                report.orphans.append(path)
                if remove:
                    path.unlink(missing_ok=True)
                    report.removed += 1
    for pk, name in Attachment.objects.values_list("pk", "file").iterator():
        if not default_storage.exists(name):
            report.missing.append((pk, name))
    return report


def _storage_walk(folder: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _storage_walk(f"{folder}/{sub}")
