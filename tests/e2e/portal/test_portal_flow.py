"""The citizen's whole path in headless Chromium: submit with an attachment, get the number by
e-mail over real SMTP, track it, read the officer's public reply, confirm satisfaction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aduan.complaints.models import Complaint, EventKind
from aduan.complaints.services import Checklist, complaint_respond, complaint_verify
from aduan.complaints.workflow import Status

pytestmark = pytest.mark.django_db(transaction=True)

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
REPLY = "SIP Anda sudah terbit. Silakan unduh melalui e-Pinter."


def _deliver_pending() -> None:
    """Deliver whatever the outbox still holds (the immediate backend usually sent it)."""
    from aduan.notifications.models import OutboxMessage, OutboxStatus
    from aduan.notifications.services import outbox_deliver

    for pk in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list(
            "pk", flat=True):
        outbox_deliver(pk)


def test_submit_receive_by_email_track_reply_and_confirm(
        page, live_server, portal, smtp_inbox, officer, tmp_path: Path):
    evidence = tmp_path / "bukti-pendaftaran.pdf"
    evidence.write_bytes(PDF)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Kirim pengaduan").first.click()
    page.fill("#id_name", "Rahmi Ayunda")
    page.fill("#id_nik", "1403021104907328")
    page.fill("#id_address", "Jl. Perwira No. 7, Bengkalis")
    page.fill("#id_occupation", "Bidan")
    page.fill("#id_phone", "0851-5679-1234")
    page.fill("#id_email", "ayunda@example.org")
    page.select_option("#id_service_type", label="SIP Bidan")
    page.fill("#id_subject", "SIP belum terdaftar")
    page.fill("#id_description", "Saya sudah mengunggah berkas SIP dua minggu lalu.")
    page.set_input_files("#id_attachments", str(evidence))
    page.check("#id_consent")
    page.click("#submit-complaint")

    page.wait_for_selector("#tracking-code")
    number = page.inner_text("#register-number").strip()
    code = page.inner_text("#tracking-code").strip()
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.register_number == number
    assert complaint.channel.kind == "web"
    assert complaint.attachments.get().original_name == "bukti-pendaftaran.pdf"

    _deliver_pending()
    receipts = [m for m in smtp_inbox.messages if m["To"] == "ayunda@example.org"]
    assert len(receipts) == 1
    body = receipts[0].get_content()
    assert number in receipts[0]["Subject"] + body
    assert code in body

    complaint_verify(complaint_id=complaint.pk, actor=officer, checklist=Checklist())
    complaint_respond(complaint_id=complaint.pk, actor=officer, response=REPLY)

    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", code)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_selector("#timeline")
    assert page.inner_text("#case-status") == "Ditanggapi"
    assert REPLY in page.inner_text("#timeline")
    assert "Rahmi" not in page.content() and "1403021104907328" not in page.content()

    page.check("#id_agree")
    page.click("#confirm-satisfied")
    page.wait_for_selector("#track-done")
    assert "Pernyataan puas Anda telah dicatat" in page.inner_text("#track-done")
    assert page.inner_text("#case-status") == "Selesai"
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.is_satisfied
    assert complaint.events.filter(kind=EventKind.SATISFACTION_CONFIRMED).exists()

    # The IKM survey: tap one answer for each of the nine elements (the labels are the targets).
    answers = {"u1": 4, "u2": 4, "u3": 3, "u4": 4, "u5": 4, "u6": 4, "u7": 4, "u8": 3, "u9": 4}
    for code, value in answers.items():
        page.locator(f"#ikm-{code} label.ikm-answer").nth(value - 1).click()
    page.fill("#id_comment", "Cepat dan jelas.")
    with page.expect_navigation():
        page.click("#rate-submit")
    page.wait_for_selector("#track-done")
    rating = Complaint.objects.get(pk=complaint.pk).rating
    assert rating.elements == answers
    assert (rating.score, rating.comment) == (4, "Cepat dan jelas.")


def test_wrong_code_and_the_21st_lookup_in_a_minute(page, live_server, portal):
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", "kode-yang-salah")
    page.get_by_role("button", name="Tampilkan").click()
    assert "Kode pelacakan tidak ditemukan" in page.inner_text("#track-error")
    for _ in range(19):  # 20 lookups in all
        with page.expect_navigation():
            page.get_by_role("button", name="Tampilkan").click()
    assert "tidak ditemukan" in page.inner_text("#track-error")
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    assert re.search(r"Terlalu banyak pencarian", page.inner_text("#track-error"))


def test_refused_attachment_keeps_the_typed_form(page, live_server, portal, tmp_path: Path):
    fake = tmp_path / "laporan.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 500)  # a Windows executable renamed .pdf
    page.goto(f"{live_server.url}/pengaduan/kirim/")
    page.fill("#id_name", "Budi")
    page.fill("#id_phone", "081268610005")
    page.fill("#id_description", "Uraian yang tidak boleh hilang.")
    page.set_input_files("#id_attachments", str(fake))
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#form-problems")
    problems = page.inner_text("#form-problems")
    assert "Jenis berkas \u201claporan.pdf\u201d tidak diterima" in problems
    assert "Pilih lagi berkas berikut" in problems
    assert "laporan.pdf" in problems.split("Pilih lagi berkas berikut")[1]
    assert page.input_value("#id_description") == "Uraian yang tidak boleh hilang."
    assert page.input_value("#id_name") == "Budi"
    assert Complaint.objects.count() == 0
