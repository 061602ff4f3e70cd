"""Portal write paths: a web submission with its attachments, attachments checked by content,
and the reporter's rating of the service (the nine IKM elements)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aduan.complaints.attachments import (
    MAX_ATTACHMENTS,
    AttachmentRefused,
    attachment_add,
    attachment_batch,
    attachment_ingest,
)
from aduan.complaints.events import complaint_rated_event
from aduan.complaints.models import Complaint
from aduan.complaints.services import (
    ReporterInput,
    complaint_register,
    refuse_if_anonymised,
    registration_text,
    reporter_check,
)
from aduan.complaints.submissions import (
    Accepted,
    Once,
    Outcome,
    submission_accept,
    submission_fields,
    submission_record,
    submit_once,
)
from aduan.complaints.workflow import Status
from aduan.core.exceptions import ApplicationError, NotFound, ValidationFailed
from aduan.ikm.models import ServiceRating
from aduan.ikm.scoring import ELEMENT_CODES, ELEMENTS, SCALE, overall_score
from aduan.offices.models import Channel, ChannelKind, Office, ServiceType
from aduan.offices.selectors import channel_first_of_kind

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
                            files: list[UploadedFile], once: Once | None = None) -> Outcome:
    """Register a complaint from the web form with its attachments, all or nothing, once.

    Every file is checked and cleaned (`attachment_ingest`) before the write transaction
    takes the database's lock, so a refused file loses nothing else and leaves nothing on
    disk. `once` is the form's single-use token: a replay or a double click gets the first
    complaint back (`Outcome.replayed`). The receipt goes out through `complaint_register`'s
    RECEIVED event (the outbox).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise AttachmentRefused(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS},
                                code="too_many_attachments")
    channel = web_channel_for(office)

    def register() -> tuple[Complaint, dict]:
        with attachment_batch():
            staged = [attachment_ingest(file) for file in files]

            def attach_and_record(complaint: Complaint) -> None:
                for item in staged:
                    attachment_add(complaint=complaint, file=item)
                submission_record(once, complaint)

            # In complaint_register's own transaction: the attachments and the single-use key
            # commit or roll back with the case (a taken key rolls everything back).
            complaint = complaint_register(
                office=office, channel=channel, subject=submission.subject,
                description=submission.description, reporter=reporter,
                service_type=submission.service_type,
                company_name=submission.company_name, within=attach_and_record)
        return complaint, {}

    return submit_once(once, register)


def portal_submission_accept(*, office: Office, submission: Submission,
                             reporter: ReporterInput, once: Once) -> Accepted:
    """Accept a web submission without attachments as one durable row; the worker registers
    it (decision 0015). The form has checked every field (the reporter's phone and NIK
    included), so what is left to the worker cannot be the reporter's mistake."""
    channel = web_channel_for(office)
    service_type = submission.service_type
    # The registration's own checks, now: what it would refuse is refused to the reporter at
    # once (ValidationFailed with the fields' errors), never left to fail in the worker.
    reporter_check(reporter)
    subject, description, company_name, _location = registration_text(
        subject=submission.subject, description=submission.description,
        company_name=submission.company_name)
    return submission_accept(once=once, office_id=office.pk, fields=submission_fields(
        channel_id=channel.pk, subject=subject, description=description,
        company_name=company_name,
        service_type_id=service_type.pk if service_type is not None else None,
        reporter=reporter))


@transaction.atomic
def complaint_rate(*, complaint_id: int, elements: Mapping[str, int],
                   comment: str = "") -> ServiceRating:
    """The reporter answers the nine IKM elements (scale 1-4) once the case has been answered.

    Preconditions: the case is in a rateable status and has no rating yet (one per case, also
    under concurrent submissions: the case row is locked and the rating is unique per case).
    Every element u1..u9 is required; the overall `score` is derived from them
    (`ikm.overall_score`). Writes the rating and a non-public RATED event; no notification.
    """
    complaint = Complaint.objects.select_for_update(of=("self",)).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    if complaint.status not in RATEABLE_STATUSES:
        raise ValidationFailed(_("Layanan dapat dinilai setelah pengaduan ditanggapi."))
    refuse_if_anonymised(complaint)
    scores = _element_scores(elements)
    comment = (comment or "").strip()[:2000]
    if ServiceRating.objects.filter(complaint=complaint).exists():
        raise ValidationFailed(_("Layanan untuk pengaduan ini sudah dinilai. Terima kasih."),
                               code="already_rated")
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(
                complaint=complaint, score=overall_score(scores), comment=comment,
                elements=scores)
    except IntegrityError:
        raise ValidationFailed(_("Layanan untuk pengaduan ini sudah dinilai. Terima kasih."),
                               code="already_rated") from None
    complaint_rated_event(complaint, score=rating.score, comment=comment)
    return rating


def _element_scores(elements: Mapping[str, object]) -> dict[str, int]:
    """Exactly the nine elements, each a whole number 1-4, in the regulation's order."""
    unknown = set(elements) - set(ELEMENT_CODES)
    missing = [e for e in ELEMENTS if e.code not in elements]
    if unknown:
        raise ValidationFailed(_("Unsur penilaian tidak dikenal: %(codes)s.")
                               % {"codes": ", ".join(sorted(unknown))})
    if missing:
        raise ValidationFailed(_("Setiap unsur wajib dinilai; belum dinilai: %(names)s.")
                               % {"names": ", ".join(str(e.name) for e in missing)})
    scores = {}
    for code in ELEMENT_CODES:
        value = elements[code]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValidationFailed(_("Setiap unsur dinilai 1 sampai 4."))
        scores[code] = value
    return scores
