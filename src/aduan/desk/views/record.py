"""Recording a complaint by hand: walk-in, phone, letter, suggestion box, social media."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.complaints.services import ReporterInput
from aduan.core.exceptions import ApplicationError
from aduan.desk.forms import RecordForm
from aduan.desk.services import complaint_record as complaint_record_service
from aduan.desk.views.common import staff_required


def _register(user: User, data: dict, files: list):  # type: ignore[no-untyped-def]
    return complaint_record_service(
        actor=user, files=files, channel=data["channel"], subject=data["subject"],
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


@staff_required
def complaint_record(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_complaint_team:
        raise PermissionDenied
    form = RecordForm(request.POST or None, request.FILES or None, office=user.office)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = _register(user, form.cleaned_data,
                                  request.FILES.getlist("attachments"))
        except ApplicationError as exc:
            for name, errors in exc.extra.get("errors", {}).items():
                form.add_error(f"reporter_{name}", errors)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pengaduan tercatat dengan nomor %(number)s.")
                             % {"number": complaint.register_number})
            return redirect("desk:complaint-detail", complaint_id=complaint.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "desk/record.html", {"form": form, "nav": "record"},
                  status=status)
