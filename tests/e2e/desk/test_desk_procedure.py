"""Acceptance (issue 3): a walk-in complaint goes through the whole procedure in the browser,
and a user of another unit can neither open it nor find it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aduan.complaints.models import Complaint

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _act(page, action: str, fill: dict[str, str] | None = None) -> None:
    page.click(f"#action-{action} > summary")
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    page.click(f"#submit-{action}")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_be_visible()


def test_walk_in_complaint_through_the_procedure(page, live_server, login, users, office):
    _as(page, login, "petugas")
    # The officer records the walk-in complaint.
    page.click("text=Catat pengaduan >> nth=0")
    page.select_option("#id_channel", label="Meja Pengaduan/Formulir Pengaduan")
    page.fill("#id_subject", "Izin apotek Sumber Waras belum terbit")
    page.fill("#id_description", "Berkas izin apotek sudah lengkap sejak bulan lalu.")
    page.fill("#id_reporter_name", "Hendra Gunawan")
    page.fill("#id_reporter_phone", "081277778888")
    page.check("#id_consent")
    page.click("#record-submit")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-success")).to_contain_text("Pengaduan tercatat dengan nomor")
    complaint = Complaint.objects.get(subject="Izin apotek Sumber Waras belum terbit")
    case_url = f"{live_server.url}/desk/pengaduan/{complaint.pk}/"
    assert page.url == case_url
    assert complaint.channel.code == "meja_pengaduan"

    # Verification with the checklist, then the proposal to Bidang Perizinan A.
    page.click("#action-verify > summary")
    page.check("#id_verify-ktp_seen")
    page.check("#id_verify-chronology_present")
    page.click("#submit-verify")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#case-status")).to_have_text("Terverifikasi")
    page.click("#action-propose_disposition > summary")
    page.select_option("#id_propose_disposition-unit", label="Bidang Perizinan A")
    page.click("#submit-propose_disposition")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#case-status")).to_have_text("Usulan disposisi")

    # The team lead approves the disposition.
    _as(page, login, "ketua")
    page.goto(case_url)
    expect(page.locator("#id_dispose-unit")).to_have_value(str(
        office.units.get(code="perizinan-a").pk))
    _act(page, "dispose")
    expect(page.locator("#case-status")).to_have_text("Didisposisikan")

    # The unit finds it in its inbox and writes the clarification.
    _as(page, login, "perizinan_a")
    expect(page.locator("h1")).to_have_text("Pengaduan bidang saya")
    page.locator("a.case-link", has_text=complaint.register_number).click()
    page.wait_for_url(case_url)
    _act(page, "clarify", {"#id_clarify-clarification": "Berkas menunggu tanda tangan."})
    expect(page.locator("#case-status")).to_have_text("Diklarifikasi")

    # The officer responds and closes.
    _as(page, login, "petugas")
    page.goto(case_url)
    _act(page, "respond", {"#id_respond-response": "Izin apotek Anda terbit hari Jumat."})
    _act(page, "close")
    expect(page.locator("#case-status")).to_have_text("Selesai")
    timeline = page.locator("#timeline")
    for step in ("Pengaduan diterima", "Diverifikasi", "Disposisi diusulkan", "Didisposisikan",
                 "Klarifikasi bidang teknis", "Tanggapan kepada pelapor", "Ditutup"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("Berkas menunggu tanda tangan.")

    # Bidang Perizinan B: not found by URL, nothing by search.
    _as(page, login, "perizinan_b")
    response = page.goto(case_url)
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/desk/")
    page.fill("#id_q", "Sumber Waras")
    page.click("#inbox-search")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#inbox-results")).to_contain_text("Tidak ada pengaduan yang cocok")
    expect(page.locator("#inbox-results")).not_to_contain_text(complaint.register_number)


def test_inbox_works_on_a_phone_and_by_keyboard(phone_page, live_server, login, users, office):
    from aduan.complaints.tests.factories import register_complaint

    complaint = register_complaint(office, subject="Akun e-Pinter terkunci")
    register_complaint(office, subject="Izin apotek belum terbit")
    login(phone_page, "petugas")
    expect(phone_page.locator(".case-link")).to_have_count(2)
    # Keyboard only: focus the search box, type, submit with Enter, open the case with Enter.
    phone_page.focus("#id_q")
    phone_page.keyboard.type("pinter")
    phone_page.keyboard.press("Enter")
    # The results are swapped in by htmx; wait until only the match is left.
    expect(phone_page.locator(".case-link")).to_have_count(1)
    expect(phone_page.locator("#inbox-results")).to_contain_text("Akun e-Pinter terkunci")
    link = phone_page.locator(".case-link").first
    link.focus()
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url(re.compile(rf"/desk/pengaduan/{complaint.pk}/$"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
