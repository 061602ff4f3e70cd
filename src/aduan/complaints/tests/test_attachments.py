"""Attachments are accepted by content, never by name (one check for every entry point)."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from aduan.complaints.attachments import (
    MESSAGING_TYPES,
    AttachmentRefused,
    attachment_add,
    attachment_check,
)
from aduan.complaints.tests.factories import register_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real 1 x 1 PNG: images are decoded and re-encoded.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
OGG = b"OggS" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
                         "/></Types>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "mime"), [
    (PDF, "application/pdf"), (PNG, "image/png"),
    (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_content_is_accepted_whatever_the_name(content, mime):
    assert attachment_check(ContentFile(content, name="apa-saja.bin")).content_type == mime


def test_executable_renamed_pdf_is_refused():
    with pytest.raises(AttachmentRefused) as refusal:
        attachment_check(ContentFile(ELF, name="laporan.pdf"))
    assert refusal.value.code == "attachment_type"
    assert "laporan.pdf" in refusal.value.message


def test_plain_zip_is_not_a_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(AttachmentRefused):
        attachment_check(ContentFile(buffer.getvalue(), name="surat.docx"))


def test_empty_and_oversized_files_are_refused(settings):
    settings.ADUAN_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(AttachmentRefused) as empty:
        attachment_check(ContentFile(b"", name="kosong.pdf"))
    assert empty.value.code == "attachment_empty"
    with pytest.raises(AttachmentRefused) as big:
        attachment_check(ContentFile(PDF + b"x" * 200, name="besar.pdf"))
    assert big.value.code == "attachment_too_large"


def test_voice_notes_only_where_messaging_types_are_allowed():
    with pytest.raises(AttachmentRefused):
        attachment_check(ContentFile(OGG, name="pesan.ogg"))
    assert attachment_check(ContentFile(OGG, name="pesan.ogg"),
                            allowed=MESSAGING_TYPES).content_type == "audio/ogg"


@pytest.mark.django_db
def test_attachment_is_stored_under_a_random_name_with_its_hash(office):
    import hashlib

    complaint = register_complaint(office)
    attachment = attachment_add(complaint=complaint, file=ContentFile(PDF, name="../../x.pdf"))
    assert attachment.original_name == "../../x.pdf"
    assert ".." not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF)
