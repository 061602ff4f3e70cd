"""Portal write paths: a web submission with its attachments, attachments checked by content,
and the reporter's rating of the service."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aduan.complaints.events import complaint_rated_event
from aduan.complaints.models import Attachment, Complaint
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ApplicationError, NotFound, ValidationFailed
from aduan.offices.models import Channel, ChannelKind, Office, ServiceType
from aduan.portal.models import ServiceRating

# Content types accepted by content sniffing (never by file name).
_SIMPLE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
# Office Open XML documents are zip archives; their [Content_Types].xml names the main part.
_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
MAX_ATTACHMENTS = 5
RATEABLE_STATUSES = frozenset({Status.RESPONDED, Status.CONCLUDED, Status.CLOSED,
                               Status.ANSWERED, Status.REFERRED})


class AttachmentRefused(ValidationFailed):
    code = "attachment_refused"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


def _ooxml_type(file: UploadedFile) -> tuple[str, str] | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            content_types = archive.read("[Content_Types].xml")[:200_000].decode(
                "utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        file.seek(0)
    for marker, result in _OOXML.items():
        if marker in content_types:
            return result
    return None


def attachment_check(file: UploadedFile) -> CheckedFile:
    """Refuse a file unless its CONTENT is an allowed type and it is within the size limit.

    An executable renamed `.pdf` is refused: the name is never trusted.
    """
    name = file.name or "berkas"
    limit = settings.ADUAN_MAX_ATTACHMENT_BYTES
    if file.size is None or file.size > limit:
        raise AttachmentRefused(
            _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal %(max)s MB).")
            % {"name": name, "max": limit // (1024 * 1024)})
    if file.size == 0:
        raise AttachmentRefused(_("Berkas \u201c%(name)s\u201d kosong.") % {"name": name})
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in _SIMPLE_TYPES:
        return CheckedFile(kind.mime, _SIMPLE_TYPES[kind.mime])
    if kind is not None and kind.mime in {"application/zip", *(v[0] for v in _OOXML.values())}:
        ooxml = _ooxml_type(file)
        if ooxml is not None:
            return CheckedFile(*ooxml)
    raise AttachmentRefused(
        _("Jenis berkas \u201c%(name)s\u201d tidak diterima. Lampirkan PDF, JPG, PNG, WebP, "
          "DOCX atau XLSX.") % {"name": name})


def attachment_add(*, complaint: Complaint, file: UploadedFile, uploaded_by=None,  # type: ignore[no-untyped-def]
                   is_public: bool = False) -> Attachment:
    """Store one checked attachment under MEDIA_ROOT with its sha256; the stored name is
    random (the reporter's file name is kept only as `original_name`)."""
    checked = attachment_check(file)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        complaint=complaint, original_name=(file.name or "berkas")[-255:],
        content_type=checked.content_type, size=file.size, sha256=digest.hexdigest(),
        is_public=is_public, uploaded_by=uploaded_by)
    attachment.file.save(f"{uuid.uuid4().hex}.{checked.extension}", file, save=False)
    attachment.save()
    return attachment


@dataclass
class Submission:
    """What the web form collects besides the reporter."""

    subject: str
    description: str
    company_name: str = ""
    service_type: ServiceType | None = None


def web_channel_for(office: Office) -> Channel:
    """The office's web-form channel (kind `web`)."""
    channel = (office.channels.filter(kind=ChannelKind.WEB, is_active=True)
               .order_by("order", "pk").first())
    if channel is None:
        raise ApplicationError(_("Formulir pengaduan web belum diaktifkan oleh kantor ini."))
    return channel


@transaction.atomic
def portal_complaint_submit(*, office: Office, submission: Submission, reporter: ReporterInput,
                            files: list[UploadedFile]) -> Complaint:
    """Register a complaint from the web form with its attachments, all or nothing.

    Every file is checked before anything is written, so a refused file loses nothing else.
    The receipt goes out through `complaint_register`'s RECEIVED event (the outbox).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentRefused(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS})
    for file in files:
        attachment_check(file)
    complaint = complaint_register(
        office=office, channel=web_channel_for(office), subject=submission.subject,
        description=submission.description, reporter=reporter,
        service_type=submission.service_type, company_name=submission.company_name)
    for file in files:
        attachment_add(complaint=complaint, file=file)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint_id: int, score: int, comment: str = "",
                   elements: dict[str, int] | None = None) -> ServiceRating:
    """The reporter rates the service once the case has been answered (IKM scale 1-4).

    Writes the rating and a non-public RATED event. One rating per case.
    """
    complaint = Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    if complaint.status not in RATEABLE_STATUSES:
        raise ValidationFailed(_("Layanan dapat dinilai setelah pengaduan ditanggapi."))
    if not 1 <= int(score) <= 4:
        raise ValidationFailed(_("Pilih nilai 1 sampai 4."))
    elements = {k: int(v) for k, v in (elements or {}).items()}
    if any(not 1 <= v <= 4 for v in elements.values()):
        raise ValidationFailed(_("Setiap unsur dinilai 1 sampai 4."))
    comment = (comment or "").strip()[:2000]
    if ServiceRating.objects.filter(complaint=complaint).exists():
        raise ValidationFailed(_("Layanan untuk pengaduan ini sudah dinilai. Terima kasih."),
                               code="already_rated")
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(complaint=complaint, score=int(score),
                                                  comment=comment, elements=elements)
    except IntegrityError:
        raise ValidationFailed(_("Layanan untuk pengaduan ini sudah dinilai. Terima kasih."),
                               code="already_rated") from None
    complaint_rated_event(complaint, score=rating.score, comment=comment)
    return rating
