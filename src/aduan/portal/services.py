"""Portal write paths: a web submission with its attachments, attachments checked by content,
and the reporter's rating of the service."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aduan.complaints.attachments import (
    MAX_ATTACHMENTS,
    AttachmentRefused,
    attachment_add,
    attachment_check,
)
from aduan.complaints.events import complaint_rated_event
from aduan.complaints.models import Complaint
from aduan.complaints.services import ReporterInput, complaint_register
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ApplicationError, NotFound, ValidationFailed
from aduan.offices.models import Channel, ChannelKind, Office, ServiceType
from aduan.offices.selectors import channel_first_of_kind
from aduan.portal.models import ServiceRating

RATEABLE_STATUSES = frozenset({Status.RESPONDED, Status.CONCLUDED, Status.CLOSED,
                               Status.ANSWERED, Status.REFERRED})


@dataclass
class Submission:
    """What the web form collects besides the reporter."""

    subject: str
    description: str
    company_name: str = ""
    service_type: ServiceType | None = None


def web_channel_for(office: Office) -> Channel:
    """The office's web-form channel (kind `web`)."""
    channel = channel_first_of_kind(office, ChannelKind.WEB)
    if channel is None:
        raise ApplicationError(_("Formulir pengaduan web belum diaktifkan oleh kantor ini."))
    return channel


def portal_complaint_submit(*, office: Office, submission: Submission, reporter: ReporterInput,
                            files: list[UploadedFile]) -> Complaint:
    """Register a complaint from the web form with its attachments, all or nothing.

    Every file is checked before anything is written (and before the write transaction takes
    the database's lock), so a refused file loses nothing else. The receipt goes out through
    `complaint_register`'s RECEIVED event (the outbox).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentRefused(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS})
    for file in files:
        attachment_check(file)
    channel = web_channel_for(office)
    # complaint_register is atomic itself; the outer transaction only joins the attachments.
    with transaction.atomic() if files else nullcontext():
        complaint = complaint_register(
            office=office, channel=channel, subject=submission.subject,
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
