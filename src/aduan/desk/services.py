"""Desk write paths that combine foundation services in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.attachments import (
    MAX_ATTACHMENTS,
    attachment_add,
    attachment_batch,
    attachment_ingest,
)
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.complaints.submissions import Once, Outcome, submission_record, submit_once
from aduan.core.exceptions import PermissionDenied, ValidationFailed


def complaint_record(*, actor: User, files: list[UploadedFile], once: Once | None = None,
                     **fields: Any) -> Outcome:
    """Register a complaint received by hand (walk-in, phone, letter, box, social media) with
    its scanned attachments, all or nothing, once per form (`once`: the form's single-use
    token; a double click returns the first complaint).

    Every file is checked by its content (never its name) and cleaned before anything is
    written, so a refused file loses nothing; the attachments are internal (not shown to the
    reporter).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS})
    office = actor.office
    if office is None:  # the desk lets no one without an office in (desk/views/common.py)
        raise PermissionDenied()

    def register() -> tuple[Complaint, dict]:
        with attachment_batch():
            staged = [attachment_ingest(file) for file in files]
            with transaction.atomic():
                complaint = complaint_register(office=office, created_by=actor, **fields)
                for item in staged:
                    attachment_add(complaint=complaint, file=item, uploaded_by=actor)
                submission_record(once, complaint)
        return complaint, {}

    return submit_once(once, register)
