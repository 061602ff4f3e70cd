"""Adding documents to an existing case from the desk case page, with and without htmx."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aduan.accounts.testing import login_verified
from aduan.complaints.attachments import MAX_ATTACHMENTS
from aduan.complaints.models import Attachment, EventKind
from aduan.complaints.tests.factories import register_complaint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
NOTE = "Fotokopi izin lama, dibawa pelapor hari ini."


def detail(complaint) -> str:
    return reverse("desk:complaint-detail", kwargs={"complaint_id": complaint.pk})


def add_url(complaint) -> str:
    return reverse("desk:attachment-add", kwargs={"complaint_id": complaint.pk})


def pdf(name: str = "izin-lama.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_case_page_offers_the_form_to_those_who_handle_the_case(client_for, disposed_to_a):
    for username in ("petugas", "ketua", "perizinan_a"):
        response = client_for(username).get(detail(disposed_to_a))
        assert response.context["attach_form"] is not None, username
        assert 'id="attach-add"' in response.text
        assert 'enctype="multipart/form-data"' in response.text
    response = client_for("kadis").get(detail(disposed_to_a))
    assert response.context["attach_form"] is None
    assert 'id="attach-add"' not in response.text


def test_officer_adds_a_pdf_without_js_and_sees_it_listed(client_for, office):
    complaint = register_complaint(office)
    client = client_for("petugas")
    response = client.post(add_url(complaint), {"attach-files": [pdf()], "attach-note": NOTE})
    assert response.status_code == 302
    assert response["Location"] == detail(complaint) + "#attachments"
    attachment = complaint.attachments.get()
    assert attachment.original_name == "izin-lama.pdf"
    assert attachment.uploaded_by.username == "petugas"
    page = client.get(detail(complaint)).text
    assert "1 lampiran ditambahkan." in page
    assert reverse("desk:attachment-download", kwargs={
        "complaint_id": complaint.pk, "attachment_id": attachment.pk}) in page
    assert "Lampiran ditambahkan" in page  # the event on the timeline
    assert NOTE in page
    event = complaint.events.get(kind=EventKind.ATTACHMENTS_ADDED)
    assert event.is_public is False


def test_htmx_swaps_the_attachment_block_and_the_timeline(client_for, office):
    complaint = register_complaint(office)
    response = client_for("petugas").post(
        add_url(complaint), {"attach-files": [pdf("a.pdf"), pdf("b.pdf")], "attach-note": NOTE},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="attachments"')
    assert "2 lampiran ditambahkan." in html
    assert "a.pdf" in html and "b.pdf" in html
    assert 'id="case-timeline" hx-swap-oob="true"' in html
    assert "Berkas: <bdi>a.pdf</bdi>, <bdi>b.pdf</bdi>" in html
    # A fresh, closed form after success: the note is not offered again.
    assert NOTE not in html.split('id="case-timeline"')[0]
    assert complaint.attachments.count() == 2


def test_disguised_executable_is_refused_and_the_note_is_kept(client_for, office):
    complaint = register_complaint(office)
    fake = SimpleUploadedFile("izin.pdf", EXE, content_type="application/pdf")
    response = client_for("petugas").post(add_url(complaint),
                                          {"attach-files": [pdf(), fake], "attach-note": NOTE})
    assert response.status_code == 422
    assert "Jenis berkas \u201cizin.pdf\u201d tidak diterima" in response.text
    assert f"{NOTE}</textarea>" in response.text
    assert 'id="attach-add" open' in response.text
    assert not Attachment.objects.exists()
    assert not complaint.events.filter(kind=EventKind.ATTACHMENTS_ADDED).exists()


def test_htmx_refusal_is_swapped_in_with_the_note_kept(client_for, office):
    complaint = register_complaint(office)
    fake = SimpleUploadedFile("izin.pdf", EXE, content_type="application/pdf")
    response = client_for("petugas").post(add_url(complaint),
                                          {"attach-files": [fake], "attach-note": NOTE},
                                          HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only successful responses
    assert "tidak diterima" in response.text
    assert f"{NOTE}</textarea>" in response.text
    assert not Attachment.objects.exists()


def test_oversized_file_is_skipped_unread_and_explained(client_for, office, settings):
    settings.ADUAN_MAX_ATTACHMENT_BYTES = 1024 * 1024
    complaint = register_complaint(office)
    big = SimpleUploadedFile("pindaian.pdf", PDF + b"0" * 1024 * 1024,
                             content_type="application/pdf")
    response = client_for("petugas").post(add_url(complaint),
                                          {"attach-files": [big], "attach-note": NOTE})
    assert response.status_code == 422
    assert "Berkas \u201cpindaian.pdf\u201d terlalu besar (maksimal 1 MB)." in response.text
    assert f"{NOTE}</textarea>" in response.text
    assert "Pilih setidaknya satu berkas." not in response.text
    assert not Attachment.objects.exists()


def test_too_many_files_and_no_file_are_explained(client_for, office):
    complaint = register_complaint(office)
    client = client_for("petugas")
    response = client.post(add_url(complaint), {
        "attach-files": [pdf(f"{i}.pdf") for i in range(MAX_ATTACHMENTS + 1)],
        "attach-note": NOTE})
    assert response.status_code == 422
    assert f"Paling banyak {MAX_ATTACHMENTS} lampiran." in response.text
    assert f"{NOTE}</textarea>" in response.text
    response = client.post(add_url(complaint), {"attach-note": NOTE})
    assert response.status_code == 422
    assert "Pilih setidaknya satu berkas." in response.text
    assert not Attachment.objects.exists()


def test_unit_staff_of_the_case_may_add_another_unit_gets_not_found(client_for,
                                                                      disposed_to_a):
    response = client_for("perizinan_b").post(add_url(disposed_to_a),
                                              {"attach-files": [pdf()]})
    assert response.status_code == 404
    assert not disposed_to_a.attachments.exists()
    response = client_for("perizinan_a").post(add_url(disposed_to_a),
                                              {"attach-files": [pdf()]})
    assert response.status_code == 302
    assert disposed_to_a.attachments.count() == 1


def test_head_reads_only(client_for, disposed_to_a):
    client = client_for("kadis")
    response = client.post(add_url(disposed_to_a), {"attach-files": [pdf()]}, follow=True)
    assert "Peran Anda tidak dapat menambah lampiran." in response.text
    assert not disposed_to_a.attachments.exists()


def test_get_anonymous_and_missing_csrf_are_refused(client_for, office, users):
    complaint = register_complaint(office)
    assert client_for("petugas").get(add_url(complaint)).status_code == 405
    anonymous = Client().post(add_url(complaint), {"attach-files": [pdf()]})
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    strict = Client(enforce_csrf_checks=True)
    login_verified(strict, users["petugas"])
    assert strict.post(add_url(complaint), {"attach-files": [pdf()]}).status_code == 403
    assert not Attachment.objects.exists()
