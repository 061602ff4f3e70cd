"""Attachments of a case: accepted by their CONTENT (never by name or claimed type), within
the size limit, stored under a random name with their sha256 (SPEC quality bar: uploads are
checked by content). One check for every way a file arrives: portal, desk, API and channels,
and the service by which staff add documents to an existing case.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.models import Role, User
from aduan.complaints.access import access_complaint
from aduan.complaints.events import complaint_attachments_added_event
from aduan.complaints.models import Attachment, CaseEvent, Complaint
from aduan.core.exceptions import PermissionDenied, ValidationFailed

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
MAX_ATTACHMENTS = 5
# Documents added to a case over its life (registration, messages, desk): KTP, KK, power of
# attorney, permit copies, letters, the signed satisfaction statement. Bounds one case's storage.
MAX_ATTACHMENTS_PER_CASE = 20
MAX_ATTACHMENT_NOTE = 1000
# The people who handle a case; the head of office and the administrator only read it.
ATTACHMENT_ADD_ROLES = (Role.OFFICER, Role.TEAM_LEAD, Role.UNIT_STAFF)


class AttachmentRefused(ValidationFailed):
    code = "attachment_refused"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


def attachment_check_size(*, name: str, size: int) -> None:
    """Refuse an oversized file before reading it."""
    limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise AttachmentRefused(
            _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal %(max)s MB).")
            % {"name": name, "max": limit // (1024 * 1024)}, code="attachment_too_large")


def attachment_check(file: File, *, allowed: dict[str, str] = DOCUMENT_TYPES) -> CheckedFile:
    """The file's type from its content, if allowed; AttachmentRefused otherwise.

    An executable renamed `.pdf` is refused: the name is never trusted.
    """
    name = file.name or "berkas"
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
    if mime in {"application/zip", *_OOXML_PARTS.values()}:
        mime = _ooxml_type(file)
    if mime in allowed:
        return CheckedFile(mime, allowed[mime])
    raise AttachmentRefused(
        _("Jenis berkas \u201c%(name)s\u201d tidak diterima. Lampirkan PDF, JPG, PNG, WebP, "
          "DOCX atau XLSX.") % {"name": name}, code="attachment_type")


def _ooxml_type(file: File) -> str:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return ""
    finally:
        file.seek(0)
    return next((mime for marker, mime in _OOXML_PARTS.items() if marker in parts), "")


def attachment_add(*, complaint: Complaint, file: File, uploaded_by: User | None = None,
                   event: CaseEvent | None = None, is_public: bool = False,
                   allowed: dict[str, str] = DOCUMENT_TYPES) -> Attachment:
    """Check and store one attachment. The stored name is random; the sender's file name is
    kept only as `original_name`, for display."""
    checked = attachment_check(file, allowed=allowed)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        complaint=complaint, event=event, original_name=_display_name(file),
        content_type=checked.content_type, size=file.size, sha256=digest.hexdigest(),
        is_public=is_public, uploaded_by=uploaded_by)
    attachment.file.save(f"{uuid.uuid4().hex}.{checked.extension}", file, save=False)
    attachment.save()
    return attachment


def _display_name(file: File) -> str:
    return (file.name or "berkas")[-255:]


def attachment_may_add(user: User) -> bool:
    """Whether `user`'s role may add documents to the cases they can see."""
    return user.has_role(*ATTACHMENT_ADD_ROLES)


@transaction.atomic
def complaint_attachments_add(*, complaint_id: int, actor: User, files: Sequence[File],
                              note: str = "") -> CaseEvent:
    """Add documents to an existing case: the reporter brings the missing permit copy or power
    of attorney (UU 25/2009: incomplete material is completed later), or the officer scans a
    letter or the signed satisfaction statement. Allowed in every status: adding changes no
    decision, and the event records when it happened.

    Preconditions: `actor` may see the case (`access_complaint`: unit staff only cases
    dispositioned to their unit, NotFound otherwise) and handles cases (officer, team lead,
    unit staff; PermissionDenied otherwise). At most MAX_ATTACHMENTS files at once and
    MAX_ATTACHMENTS_PER_CASE on the case; every file is checked by content and size before
    anything is written, so a refusal leaves the case as it was. The case row is locked, so two
    uploads at once cannot pass the per-case limit together.

    Writes one internal ATTACHMENTS_ADDED event (the note as its text, the files named in its
    data) and the attachments, internal and linked to that event. No status change and no
    message to the reporter. Returns the event; its attachments are `event.attachments`.
    """
    complaint = access_complaint(actor, complaint_id, for_update=True)
    if not attachment_may_add(actor):
        raise PermissionDenied(_("Peran Anda tidak dapat menambah lampiran."))
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
    existing = complaint.attachments.count()
    if existing + len(files) > MAX_ATTACHMENTS_PER_CASE:
        left = max(MAX_ATTACHMENTS_PER_CASE - existing, 0)
        message = (_("Pengaduan ini sudah memiliki %(count)s lampiran; hanya %(left)s lagi yang "
                     "dapat ditambahkan (paling banyak %(max)s per pengaduan).") if left else
                   _("Pengaduan ini sudah memiliki %(count)s lampiran, batas per pengaduan "
                     "(%(max)s)."))
        raise AttachmentRefused(message % {"count": existing, "left": left,
                                           "max": MAX_ATTACHMENTS_PER_CASE},
                                code="too_many_attachments")
    checked = [attachment_check(file) for file in files]
    event = complaint_attachments_added_event(complaint, actor=actor, note=note, files=[
        {"name": _display_name(file), "content_type": kind.content_type, "size": file.size}
        for file, kind in zip(files, checked, strict=True)])
    for file in files:
        attachment_add(complaint=complaint, file=file, uploaded_by=actor, event=event)
    return event
