"""The officer adds a document the reporter brought later to an existing case, in the
browser: a disguised file is refused with the note kept, then the real PDF is listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from aduan.complaints.models import EventKind
from aduan.complaints.tests.factories import register_complaint
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
NOTE = "Surat kuasa dibawa pelapor ke meja pengaduan."


def test_officer_adds_a_pdf_to_a_case_and_sees_it_listed(page, live_server, login, users,
                                                          office):
    complaint = register_complaint(office, subject="SIP bidan belum terbit",
                                   is_by_proxy=True)
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengaduan/{complaint.pk}/")
    expect(page.locator("#attachments")).to_contain_text("Tidak ada lampiran.")

    page.click("#attach-add > summary")
    page.fill("#id_attach-note", NOTE)
    page.set_input_files("#id_attach-files", files=[
        {"name": "surat-kuasa.pdf", "mimeType": "application/pdf", "buffer": EXE}])
    page.click("#submit-attach")
    expect(page.locator("#attachments .errorlist")).to_contain_text(
        "Jenis berkas \u201csurat-kuasa.pdf\u201d tidak diterima")
    expect(page.locator("#id_attach-note")).to_have_value(NOTE)
    assert not complaint.attachments.exists()
    page.locator("#attachments").scroll_into_view_if_needed()
    save_screenshot(page, "desk-case-attachment-refused.png")

    page.set_input_files("#id_attach-files", files=[
        {"name": "surat-kuasa.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-attach")
    expect(page.locator("#attachments .msg-success")).to_have_text("1 lampiran ditambahkan.")
    expect(page.locator("#attachment-list")).to_contain_text("surat-kuasa.pdf")
    # The timeline was swapped too: the event names the file and carries the note.
    last = page.locator("#case-timeline > li").last
    expect(last).to_contain_text("Lampiran ditambahkan")
    expect(last).to_contain_text("Berkas: surat-kuasa.pdf")
    expect(last).to_contain_text(NOTE)
    assert complaint.events.filter(kind=EventKind.ATTACHMENTS_ADDED).count() == 1
    assert complaint.attachments.get().original_name == "surat-kuasa.pdf"
    page.locator("#attachments").scroll_into_view_if_needed()
    save_screenshot(page, "desk-case-attachment-added.png")

    # The listed file downloads with its content.
    with page.expect_download() as download:
        page.click("#attachment-list a")
    assert download.value.suggested_filename == "surat-kuasa.pdf"
    assert Path(download.value.path()).read_bytes() == PDF


def test_adding_works_without_javascript(new_page, live_server, login, users, office):
    complaint = register_complaint(office)
    page = new_page(java_script_enabled=False)
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengaduan/{complaint.pk}/")
    page.click("#attach-add > summary")
    page.set_input_files("#id_attach-files", files=[
        {"name": "pindaian.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-attach")
    page.wait_for_load_state()
    assert page.url.endswith(f"/desk/pengaduan/{complaint.pk}/#attachments")
    expect(page.locator(".messages")).to_contain_text("1 lampiran ditambahkan.")
    expect(page.locator("#attachment-list")).to_contain_text("pindaian.pdf")
