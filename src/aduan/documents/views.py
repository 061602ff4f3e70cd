"""PDF downloads of a case's documents: login required, case access via complaints.access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aduan.accounts.models import User
from aduan.audit.denials import ScopeNotFound
from aduan.complaints.access import access_complaint
from aduan.complaints.models import Complaint
from aduan.core.exceptions import NotFound
from aduan.documents import selectors


# The PDF builders (ReportLab) are imported by the request that builds a document, not when a
# web worker starts (docs/benchmarks.md, worker memory).
def build_complaint_form(data: Any) -> bytes:
    from aduan.documents.builders.complaint_form import build_complaint_form as build

    return build(data)


def build_follow_up_form(data: Any) -> bytes:
    from aduan.documents.builders.follow_up_form import build_follow_up_form as build

    return build(data)


def build_satisfaction_statement(data: Any) -> bytes:
    from aduan.documents.builders.letters import build_satisfaction_statement as build

    return build(data)


def build_thank_you_letter(data: Any) -> bytes:
    from aduan.documents.builders.letters import build_thank_you_letter as build

    return build(data)


def build_good_name_letter(data: Any) -> bytes:
    from aduan.documents.builders.letters import build_good_name_letter as build

    return build(data)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Printed forms carry personal data: never keep them in shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def _case_document(request: HttpRequest, complaint_id: int,
                   data_for: Callable[..., Any], build: Callable[[Any], bytes],
                   slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        complaint: Complaint = access_complaint(user, complaint_id)
    except NotFound:
        raise ScopeNotFound(action=f"document.{slug}", object_type="complaint",
                            object_id=complaint_id) from None
    try:
        data = data_for(user=user, complaint=complaint)
    except selectors.DocumentNotAvailable as error:
        return render(request, "documents/unavailable.html",
                      {"message": error.message, "complaint": complaint},
                      status=error.status_code)
    filename = f"{slug}-{complaint.register_year}-{complaint.register_sequence}.pdf"
    return _pdf(build(data), filename)


@login_required
@require_GET
def complaint_form(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _case_document(request, complaint_id, selectors.complaint_form_data,
                          build_complaint_form, "formulir-pengaduan")


@login_required
@require_GET
def complaint_form_blank(request: HttpRequest) -> HttpResponse:
    try:
        data = selectors.blank_complaint_form_data(user=request.user)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return _pdf(build_complaint_form(data), "formulir-pengaduan-kosong.pdf")


@login_required
@require_GET
def follow_up_form(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _case_document(request, complaint_id, selectors.follow_up_form_data,
                          build_follow_up_form, "formulir-tindak-lanjut")


@login_required
@require_GET
def satisfaction_statement(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _case_document(request, complaint_id, selectors.satisfaction_statement_data,
                          build_satisfaction_statement, "surat-pernyataan-puas")


@login_required
@require_GET
def thank_you_letter(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _case_document(request, complaint_id, selectors.thank_you_letter_data,
                          build_thank_you_letter, "surat-ucapan-terima-kasih")


@login_required
@require_GET
def good_name_letter(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _case_document(request, complaint_id, selectors.good_name_letter_data,
                          build_good_name_letter, "surat-pemulihan-nama-baik")
