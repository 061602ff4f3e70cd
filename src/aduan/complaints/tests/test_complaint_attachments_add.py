"""Staff add documents to an existing case: checked by content before anything is written,
within the per-case limit, one internal event, and the desk's role and unit rules."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from aduan.complaints import services
from aduan.complaints.attachments import (
    MAX_ATTACHMENTS,
    MAX_ATTACHMENTS_PER_CASE,
    AttachmentRefused,
    attachment_add,
    complaint_attachments_add,
)
from aduan.complaints.models import Attachment, CaseEvent, EventKind
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.core.exceptions import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real 1 x 1 PNG: images are decoded and re-encoded.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name: str = "surat-kuasa.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


@pytest.fixture
def disposed_to_a(office, officer, lead):
    complaint = register_complaint(office)
    services.complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    return services.complaint_dispose(complaint_id=complaint.pk, actor=lead,
                                      unit=office.units.get(code="perizinan-a"))


def test_officer_adds_files_with_one_internal_event_naming_them(office, officer):
    complaint = register_complaint(office)
    event = complaint_attachments_add(
        complaint_id=complaint.pk, actor=officer,
        files=[pdf(), ContentFile(PNG, name="izin lama.png")],
        note="  Dibawa pelapor ke meja pengaduan.  ")

    assert event.kind == EventKind.ATTACHMENTS_ADDED
    assert event.is_public is False
    assert event.actor == officer
    assert event.body == "Dibawa pelapor ke meja pengaduan."
    attachments = list(complaint.attachments.order_by("pk"))
    # The picture is stored re-encoded (without metadata): its size is the stored one.
    assert event.data == {"files": [
        {"name": "surat-kuasa.pdf", "content_type": "application/pdf", "size": len(PDF)},
        {"name": "izin lama.png", "content_type": "image/png", "size": attachments[1].size}]}
    assert [a.original_name for a in attachments] == ["surat-kuasa.pdf", "izin lama.png"]
    assert all(a.event_id == event.pk and a.uploaded_by == officer and not a.is_public
               for a in attachments)
    # Stored like every other attachment: a random name with the type's extension.
    assert attachments[0].file.name.startswith("attachments/")
    assert attachments[0].file.name.endswith(".pdf")
    assert "surat-kuasa" not in attachments[0].file.name
    with attachments[0].file.open("rb") as stored:
        assert stored.read() == PDF
    complaint.refresh_from_db()
    assert complaint.status == "received"  # adding documents changes no step


def test_executable_renamed_pdf_refuses_the_whole_upload(office, officer):
    complaint = register_complaint(office)
    with pytest.raises(AttachmentRefused) as refusal:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer,
                                  files=[pdf(), ContentFile(EXE, name="izin.pdf")])
    assert refusal.value.code == "attachment_type"
    assert "izin.pdf" in refusal.value.message
    assert not Attachment.objects.exists()
    assert not complaint.events.filter(kind=EventKind.ATTACHMENTS_ADDED).exists()


def test_oversized_and_empty_files_are_refused(office, officer, settings):
    complaint = register_complaint(office)
    settings.ADUAN_MAX_ATTACHMENT_BYTES = len(PDF) - 1
    with pytest.raises(AttachmentRefused) as too_big:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[pdf()])
    assert too_big.value.code == "attachment_too_large"
    settings.ADUAN_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    with pytest.raises(AttachmentRefused) as empty:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer,
                                  files=[ContentFile(b"", name="kosong.pdf")])
    assert empty.value.code == "attachment_empty"
    assert not Attachment.objects.exists()


def test_no_files_too_many_at_once_and_long_note_are_refused(office, officer):
    complaint = register_complaint(office)
    with pytest.raises(AttachmentRefused) as none:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[])
    assert none.value.code == "attachments_required"
    with pytest.raises(AttachmentRefused) as many:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer,
                                  files=[pdf(f"{i}.pdf") for i in range(MAX_ATTACHMENTS + 1)])
    assert many.value.code == "too_many_attachments"
    with pytest.raises(ValidationFailed) as long_note:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[pdf()],
                                  note="x" * 1001)
    assert long_note.value.code == "note_too_long"
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.ATTACHMENTS_ADDED).exists()


def test_per_case_limit_counts_the_attachments_already_there(office, officer):
    complaint = register_complaint(office)
    for i in range(MAX_ATTACHMENTS_PER_CASE - 1):
        attachment_add(complaint=complaint, file=pdf(f"lama-{i}.pdf"))
    with pytest.raises(AttachmentRefused) as over:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer,
                                  files=[pdf("a.pdf"), pdf("b.pdf")])
    assert over.value.code == "too_many_attachments"
    assert "hanya 1 lagi" in over.value.message
    complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[pdf("a.pdf")])
    assert complaint.attachments.count() == MAX_ATTACHMENTS_PER_CASE
    with pytest.raises(AttachmentRefused) as full:
        complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[pdf("b.pdf")])
    assert "batas per pengaduan" in full.value.message


def test_allowed_on_a_settled_case_without_changing_it(office, officer):
    # The signed satisfaction statement, or a letter, often arrives after closure.
    complaint = register_complaint(office)
    services.complaint_answer(complaint_id=complaint.pk, actor=officer,
                              answer="SIP diajukan lewat OSS.")
    complaint_attachments_add(complaint_id=complaint.pk, actor=officer, files=[pdf()])
    complaint.refresh_from_db()
    assert complaint.status == "answered"
    assert complaint.attachments.count() == 1


def test_team_lead_and_the_cases_unit_may_add(disposed_to_a, lead, unit_a_staff):
    complaint_attachments_add(complaint_id=disposed_to_a.pk, actor=lead, files=[pdf("a.pdf")])
    event = complaint_attachments_add(complaint_id=disposed_to_a.pk, actor=unit_a_staff,
                                      files=[pdf("b.pdf")])
    assert event.actor == unit_a_staff
    assert disposed_to_a.attachments.count() == 2


def test_unit_staff_of_another_unit_get_not_found(disposed_to_a, unit_b_staff):
    with pytest.raises(NotFound):
        complaint_attachments_add(complaint_id=disposed_to_a.pk, actor=unit_b_staff,
                                  files=[pdf()])
    assert not disposed_to_a.attachments.exists()


def test_unit_staff_cannot_add_to_a_case_not_yet_dispositioned(office, unit_a_staff):
    complaint = register_complaint(office)
    with pytest.raises(NotFound):
        complaint_attachments_add(complaint_id=complaint.pk, actor=unit_a_staff,
                                  files=[pdf()])


@pytest.mark.parametrize("username", ["kadis", "admin"])
def test_head_and_administrator_only_read(disposed_to_a, users, username):
    with pytest.raises(PermissionDenied):
        complaint_attachments_add(complaint_id=disposed_to_a.pk, actor=users[username],
                                  files=[pdf()])
    assert not disposed_to_a.attachments.exists()
