"""POST /api/v1/cases/{id}/attachments: the desk's service, roles and units over the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aduan.complaints import services
from aduan.complaints.models import Attachment, EventKind
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def case_a(office, officer, lead):
    complaint = register_complaint(office)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    return services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                      unit=office.units.get(code="perizinan-a"))


def url(complaint) -> str:
    return f"/api/v1/cases/{complaint.pk}/attachments"


def test_unit_staff_add_a_pdf_and_a_png_to_their_case(client, token_for, unit_a_staff,
                                                      case_a, pdf_bytes, png_bytes):
    response = client.post(url(case_a), {
        "attachments": [SimpleUploadedFile("surat-kuasa.pdf", pdf_bytes),
                        SimpleUploadedFile("foto.png", png_bytes)],
        "note": "Surat kuasa dari pelapor."}, **token_for(unit_a_staff))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event"]["kind"] == "attachments_added"
    assert [(a["name"], a["content_type"], a["is_public"]) for a in body["attachments"]] == [
        ("surat-kuasa.pdf", "application/pdf", False), ("foto.png", "image/png", False)]
    event = case_a.events.get(kind=EventKind.ATTACHMENTS_ADDED)
    assert event.pk == body["event"]["id"] and event.body == "Surat kuasa dari pelapor."
    # The case file lists them, and the timeline names the event.
    detail = client.get(f"/api/v1/cases/{case_a.pk}", **token_for(unit_a_staff)).json()
    assert [a["name"] for a in detail["attachments"]] == ["surat-kuasa.pdf", "foto.png"]
    assert detail["timeline"][-1]["label"] == "Lampiran ditambahkan"


def test_disguised_file_is_422_and_nothing_is_stored(client, token_for, officer, case_a,
                                                      pdf_bytes):
    response = client.post(url(case_a), {
        "attachments": [SimpleUploadedFile("a.pdf", pdf_bytes),
                        SimpleUploadedFile("izin.pdf", EXE)]}, **token_for(officer))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "attachment_type"
    assert "izin.pdf" in error["message"]
    assert not Attachment.objects.exists()


def test_too_large_file_is_422(client, token_for, officer, case_a, pdf_bytes, settings):
    settings.ADUAN_MAX_ATTACHMENT_BYTES = len(pdf_bytes) - 1
    response = client.post(url(case_a), {
        "attachments": [SimpleUploadedFile("a.pdf", pdf_bytes)]}, **token_for(officer))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "attachment_too_large"


def test_missing_files_are_a_validation_error(client, token_for, officer, case_a):
    response = client.post(url(case_a), {"note": "tanpa berkas"}, **token_for(officer))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_other_unit_gets_404_head_gets_403_no_token_401(client, token_for, unit_b_staff,
                                                         head, case_a, pdf_bytes):
    def post(**headers):  # type: ignore[no-untyped-def]
        return client.post(url(case_a), {
            "attachments": [SimpleUploadedFile("a.pdf", pdf_bytes)]}, **headers)

    other = post(**token_for(unit_b_staff))
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    reader = post(**token_for(head))
    assert reader.status_code == 403
    assert reader.json()["error"]["code"] == "permission_denied"
    assert post().status_code == 401
    assert not Attachment.objects.exists()
