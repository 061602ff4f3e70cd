"""Public REST endpoints: submitting a complaint with attachments, tracking, rate limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aduan.complaints.models import Attachment, Complaint, IdentityAccess
from aduan.offices.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints"


def _form(**extra):
    return {
        "subject": "SIP bidan belum terbit",
        "description": "Sudah tiga minggu SIP bidan saya belum terbit di e-Pinter.",
        "name": "Ayunda Rahmi", "phone": "087863741234", "email": "ayundarahmi90@gmail.com",
        "nik": "1403024104900003", "service_type": "sip_bidan", "consent": "true", **extra,
    }


def test_submit_complaint_with_attachments_via_web_channel(client, office, png_bytes,
                                                           pdf_bytes):
    files = [SimpleUploadedFile("foto.png", png_bytes, content_type="image/png"),
             SimpleUploadedFile("bukti.pdf", pdf_bytes, content_type="application/pdf")]
    response = client.post(URL, {**_form(), "attachments": files})
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert body["register_number"] == complaint.register_number
    assert body["status"] == "received" and body["attachments"] == 2
    # The demo office has no API channel: the web channel is recorded.
    assert complaint.channel.kind == ChannelKind.WEB
    assert complaint.service_type.code == "sip_bidan"
    assert complaint.reporter.name == "Ayunda Rahmi"
    assert complaint.reporter.phone == "+6287863741234"
    stored = sorted(Attachment.objects.filter(complaint=complaint)
                    .values_list("content_type", flat=True))
    assert stored == ["application/pdf", "image/png"]
    assert complaint.events.get(kind="received").data["via"] == "api"


def test_submit_uses_the_offices_api_channel_when_configured(client, office):
    api_channel = Channel.objects.create(office=office, code="api", name="API",
                                         kind=ChannelKind.API, order=99)
    response = client.post(URL, _form())
    assert response.status_code == 201
    assert Complaint.objects.get(
        tracking_code=response.json()["tracking_code"]).channel == api_channel


def test_attachment_is_checked_by_content_not_name(client, office):
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00 not an image at all",
                              content_type="image/png")
    response = client.post(URL, {**_form(), "attachments": [fake]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "attachment_type"
    assert "foto.png" in error["message"] and error["message_en"]
    assert not Complaint.objects.exists()  # nothing half-written


def test_word_document_is_accepted_and_empty_file_refused(client, office):
    import io

    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Kronologi pengurusan izin")
    document.save(buf)
    word = SimpleUploadedFile("kronologi.docx", buf.getvalue(), content_type="text/plain")
    response = client.post(URL, {**_form(), "attachments": [word]})
    assert response.status_code == 201
    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")
    empty = SimpleUploadedFile("kosong.pdf", b"", content_type="application/pdf")
    response = client.post(URL, {**_form(), "attachments": [empty]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "attachment_empty"


def test_oversized_attachment_is_refused(client, office, settings, png_bytes):
    settings.ADUAN_MAX_ATTACHMENT_BYTES = 100
    big = SimpleUploadedFile("besar.png", png_bytes + b"\0" * 200, content_type="image/png")
    response = client.post(URL, {**_form(), "attachments": [big]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "attachment_too_large"
    assert not Complaint.objects.exists()


def test_too_many_attachments_are_refused(client, office, png_bytes):
    files = [SimpleUploadedFile(f"f{i}.png", png_bytes, content_type="image/png")
             for i in range(6)]
    response = client.post(URL, {**_form(), "attachments": files})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_attachments"
    assert not Complaint.objects.exists()


def test_invalid_reporter_data_is_refused_with_field_details(client, office):
    response = client.post(URL, _form(phone="12"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"][0]["field"] == "phone"
    assert not Complaint.objects.exists()


def test_missing_description_is_a_validation_error_in_the_envelope(client, office):
    response = client.post(URL, {"subject": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["message"] == "Data yang dikirim tidak valid."
    assert any("description" in d["loc"] for d in body["error"]["details"])


def test_unknown_service_type_is_refused(client, office):
    response = client.post(URL, _form(service_type="tidak-ada"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "service_type_unknown"


def test_submission_is_rate_limited_per_address(client, office, settings):
    settings.ADUAN_API_RATE_LIMITS = {"submit": (2, 3600)}
    assert client.post(URL, _form()).status_code == 201
    assert client.post(URL, _form()).status_code == 201
    response = client.post(URL, _form())
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == 2
    # Another address is not affected.
    assert client.post(URL, _form(), REMOTE_ADDR="10.0.0.7").status_code == 201


def test_public_status_has_no_personal_data(client, office, officer):
    from aduan.complaints import services

    created = client.post(URL, _form(is_confidential="true")).json()
    complaint = Complaint.objects.get(tracking_code=created["tracking_code"])
    services.complaint_verify(complaint_id=complaint.pk, actor=officer,
                              checklist=services.Checklist())
    services.complaint_respond(
        complaint_id=complaint.pk, actor=officer,
        response="SIP dapat diambil; hubungi 081268610005 bila ada kendala.")
    services.complaint_add_message(complaint_id=complaint.pk,
                                   body="Saya Ayunda, NIK 1403024104900003", data={})
    response = client.get(f"{URL}/{created['tracking_code']}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "responded" and body["is_settled"] is False
    text = response.content.decode()
    for secret in ("Ayunda", "ayundarahmi90", "087863741234", "+6287863741234",
                   "1403024104900003", "081268610005", "petugas"):
        assert secret not in text
    assert body["response"] == "SIP dapat diambil; hubungi [dihapus] bila ada kendala."
    assert [e["kind"] for e in body["timeline"]] == [
        "received", "verified", "responded", "message_in"]
    assert not IdentityAccess.objects.exists()


def test_unknown_or_secret_tracking_code_is_404(client, office):
    assert client.get(f"{URL}/tidak-ada-kode").json()["error"]["code"] == "not_found"
    created = client.post(URL, _form()).json()
    Complaint.objects.filter(tracking_code=created["tracking_code"]).update(is_secret=True)
    response = client.get(f"{URL}/{created['tracking_code']}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Data tidak ditemukan."
    assert response.json()["error"]["message_en"] == "Not found."


def test_service_types_are_listed(client, office):
    response = client.get("/api/v1/service-types")
    assert response.status_code == 200
    assert "sip_bidan" in {s["code"] for s in response.json()}


def test_reporter_confirms_satisfaction_or_reopens_by_tracking_code(client, office, officer):
    from aduan.complaints import services

    code = client.post(URL, _form()).json()["tracking_code"]
    complaint = Complaint.objects.get(tracking_code=code)
    # Nothing to be satisfied with before a response: 409 in the envelope.
    early = client.post(f"{URL}/{code}/satisfaction", {}, content_type="application/json")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "transition_not_allowed"
    services.complaint_verify(complaint_id=complaint.pk, actor=officer,
                              checklist=services.Checklist())
    services.complaint_respond(complaint_id=complaint.pk, actor=officer, response="Sudah terbit.")
    reopened = client.post(f"{URL}/{code}/reopen", {"reason": "SIP belum bisa diunduh."},
                           content_type="application/json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    services.complaint_respond(complaint_id=complaint.pk, actor=officer,
                               response="Sudah bisa diunduh sekarang.")
    done = client.post(f"{URL}/{code}/satisfaction", {"statement": "Terima kasih."},
                       content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "closed" and done.json()["is_settled"] is True
    complaint.refresh_from_db()
    assert complaint.is_satisfied is True and complaint.reopened_count == 1
    assert client.post(f"{URL}/tidak-ada/reopen", {"reason": "x"},
                       content_type="application/json").status_code == 404
