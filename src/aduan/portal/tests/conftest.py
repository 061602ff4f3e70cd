"""Portal test fixtures: the demo office with its questions, a web complaint before and after
the response, a fast form challenge, and real uploaded files built in memory."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from aduan.complaints.services import (
    Checklist,
    ReporterInput,
    complaint_add_note,
    complaint_register,
    complaint_respond,
    complaint_verify,
)
from aduan.portal import throttle
from aduan.portal.demo import load_demo_faq
from aduan.portal.services import web_channel_for

# A minimal but real PDF and PNG (magic bytes are what the content check reads).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")
# The start of a Windows executable (MZ header) and of an ELF binary.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def ooxml(main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/word/document.xml" ContentType="{main_type}"/>'
            "</Types>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal_office(office):
    load_demo_faq(office)
    return office


@pytest.fixture
def complaint(portal_office):
    return complaint_register(
        office=portal_office, channel=web_channel_for(portal_office),
        subject="SIP bidan belum terbit", description="Sudah dua minggu menunggu.",
        reporter=ReporterInput(name="Rahmi Ayunda", nik="1403021104907328",
                               phone="085156791234", email="ayunda@example.org",
                               address="Jl. Perwira 7", consent=True))


@pytest.fixture
def responded(complaint, officer):
    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_add_note(complaint_id=complaint.pk, actor=officer, body="CATATAN-INTERNAL-123")
    complaint_respond(complaint_id=complaint.pk, actor=officer,
                      response="SIP Anda sudah terbit, silakan unduh di e-Pinter.")
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def fast_form(settings):
    settings.ADUAN_PORTAL_MIN_FILL_SECONDS = 0
    return settings


@pytest.fixture
def form_data(fast_form):
    def _data(**overrides):
        data = {
            "name": "Rahmi Ayunda", "nik": "", "address": "Jl. Perwira, Bengkalis",
            "occupation": "Bidan", "phone": "0851-5679-1234", "email": "ayunda@example.org",
            "company_name": "", "service_type": "", "subject": "SIP belum terdaftar",
            "description": "Saya ingin melihat SIP saya sudah terdaftar atau belum.",
            "consent": "on", "website": "", "form_token": throttle.form_token(),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
