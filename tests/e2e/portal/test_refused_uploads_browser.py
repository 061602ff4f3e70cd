"""A refused web form in a real browser (phone 390 px and desktop 1280 px): what was typed
is kept, and every chosen file is named to be chosen again. With ADUAN_SCREENSHOTS=1 the pages
are saved as docs/screenshots/portal-submit-refill*.png."""

from __future__ import annotations

import pytest

from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_refused_form_keeps_the_text_and_names_the_files(size, request, live_server, portal,
                                                           tmp_path):
    browser_page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    browser_page.set_default_timeout(60_000)  # a bound on a shared, loaded machine; no assert
    if size == "desktop":
        browser_page.set_viewport_size({"width": 1280, "height": 900})
    scan = tmp_path / "scan-ktp.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    bomb = tmp_path / "surat-kuasa.docx"
    from aduan.complaints.tests.hostile_files import zip_bomb_docx

    bomb.write_bytes(zip_bomb_docx(20, 2))
    browser_page.goto(f"{live_server.url}/pengaduan/kirim/")
    browser_page.fill("#id_name", "Rahmi Ayunda")
    browser_page.fill("#id_phone", "0851-5679-1234")
    browser_page.fill("#id_subject", "SIP belum terdaftar")
    browser_page.fill("#id_description", "Saya ingin melihat SIP saya sudah terdaftar.")
    browser_page.set_input_files("#id_attachments", [str(scan), str(bomb)])
    browser_page.check("#id_consent")
    browser_page.click("#submit-complaint")
    browser_page.wait_for_selector("#form-problems")
    problems = browser_page.inner_text("#form-problems")
    assert "surat-kuasa.docx" in problems and "tidak dapat diterima" in problems
    assert "scan-ktp.pdf" in browser_page.inner_text(".refill-files")
    assert browser_page.input_value("#id_description") == (
        "Saya ingin melihat SIP saya sudah terdaftar.")
    overflow = browser_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    suffix = "-phone" if size == "phone" else ""
    save_screenshot(browser_page, f"portal-submit-refill{suffix}.png", full_page=False)
