"""Desk write paths that combine foundation services in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.attachments import MAX_ATTACHMENTS, attachment_add, attachment_check
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.core.exceptions import ValidationFailed


@transaction.atomic
def complaint_record(*, actor: User, files: list[UploadedFile], **fields: Any) -> Complaint:
    """Register a complaint received by hand (walk-in, phone, letter, box, social media) with
    its scanned attachments, all or nothing.

    Every file is checked by its content (never its name) before anything is written, so a
    refused file loses nothing; the attachments are internal (not shown to the reporter).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS})
    for file in files:
        attachment_check(file)
    complaint = complaint_register(office=actor.office, created_by=actor, **fields)
    for file in files:
        attachment_add(complaint=complaint, file=file, uploaded_by=actor)
    return complaint
