"""Recording a complaint by hand: walk-in, phone, letter, suggestion box, social media."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from aduan.accounts.models import User
from aduan.complaints.attachments import attachment_display_name
from aduan.complaints.services import ReporterInput
from aduan.complaints.submissions import Once
from aduan.core.exceptions import ApplicationError
from aduan.desk.forms import RecordForm
from aduan.desk.services import complaint_record as complaint_record_service
from aduan.desk.views.common import staff_required
from aduan.portal.uploads import SizeLimitUploadHandler


def _register(user: User, data: dict, files: list):  # type: ignore[no-untyped-def]
    token = data.get("submission_token") or ""
    return complaint_record_service(
        actor=user, files=files, channel=data["channel"], subject=data["subject"],
        once=Once(f"desk:{user.pk}", token) if token else None,
        description=data["description"], received_at=data["received_at"],
        classification=data["classification"], service_type=data["service_type"],
        company_name=data["company_name"], location=data["location"],
        is_by_proxy=data["is_by_proxy"], lapor_tracking_id=data["lapor_tracking_id"],
        reporter=ReporterInput(
            name=data["reporter_name"], nik=data["reporter_nik"],
            address=data["reporter_address"], occupation=data["reporter_occupation"],
            phone=data["reporter_phone"], email=data["reporter_email"],
            is_anonymous=data["is_anonymous"], is_confidential=data["is_confidential"],
            consent=data["consent"], consent_basis="consent" if data["consent"] else ""))


@csrf_exempt  # the size-limit handler must be installed before CSRF reads the body
@staff_required
def complaint_record(request: HttpRequest) -> HttpResponse:
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _complaint_record(request)


@csrf_protect
def _complaint_record(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_complaint_team:
        raise PermissionDenied
    form = RecordForm(request.POST or None, request.FILES or None, office=user.office,
                      initial={"submission_token": secrets.token_urlsafe(24)})
    oversized = getattr(request, "oversized_files", [])
    for name in oversized:
        form.add_error("attachments", _("Berkas \u201c%(name)s\u201d terlalu besar (maksimal "
                                        "%(max)s MB).") % {"name": attachment_display_name(name),
                                                           "max": _max_mb()})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _register(user, form.cleaned_data, request.FILES.getlist("attachments"))
        except ApplicationError as exc:
            for name, errors in exc.extra.get("errors", {}).items():
                form.add_error(f"reporter_{name}", errors)
            form.add_error(None, exc.message)
        else:
            complaint = outcome.complaint
            if outcome.replayed:
                messages.info(request, _("Formulir ini sudah tercatat sebagai pengaduan nomor "
                                         "%(number)s; tidak dicatat dua kali.")
                              % {"number": complaint.register_number})
            else:
                messages.success(request, _("Pengaduan tercatat dengan nomor %(number)s.")
                                 % {"number": complaint.register_number})
            return redirect("desk:complaint-detail", complaint_id=complaint.pk)
    status = 422 if request.method == "POST" else 200
    refill = [attachment_display_name(f.name or "") for f in request.FILES.getlist("attachments")]
    refill += [attachment_display_name(n) for n in oversized]
    return render(request, "desk/record.html", {"form": form, "nav": "record",
                                                "refill_files": refill}, status=status)


def _max_mb() -> int:
    return settings.ADUAN_MAX_ATTACHMENT_BYTES // (1024 * 1024)
