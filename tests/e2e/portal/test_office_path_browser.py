"""A regency's office under its own path in headless Chromium: from the central intake's list of
offices to /instansi/<code>/, the form there, the receipt, and the language switch, every link
staying under the office's path (offices/middleware.py)."""

from __future__ import annotations

import pytest

from aduan.complaints.models import Complaint
from aduan.offices.tests.test_public_routing import make_office
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def regency(portal):  # type: ignore[no-untyped-def]
    make_office("lapor-bupati", "Lapor Bupati Bengkalis", service=("umum", "Pengaduan umum"),
                is_central_intake=True)
    dlh = make_office("dlh", "Dinas Lingkungan Hidup Kabupaten Bengkalis",
                      service=("amdal", "Persetujuan AMDAL"),
                      address="Jl. Antara No. 9, Bengkalis", phone="0766-21000",
                      office_hours="Senin-Jumat 08.00-16.00")
    return dlh


def test_office_path_from_the_list_to_a_receipt(page, phone_page, live_server, regency):
    page.goto(f"{live_server.url}/")
    assert "Lapor Bupati Bengkalis" in page.inner_text("main")
    assert axe_violations(page) == []
    save_screenshot(page, "portal-regency-home-desktop.png", full_page=True)
    phone_page.goto(f"{live_server.url}/")
    save_screenshot(phone_page, "portal-regency-home-phone.png", full_page=True)
    page.get_by_role("link", name="Dinas Lingkungan Hidup Kabupaten Bengkalis").click()
    page.wait_for_url(f"{live_server.url}/instansi/dlh/")
    assert "Dinas Lingkungan Hidup Kabupaten Bengkalis" in page.inner_text("body")
    assert axe_violations(page) == []
    save_screenshot(page, "portal-office-path-home-desktop.png", full_page=True)
    phone_page.goto(f"{live_server.url}/instansi/dlh/")
    save_screenshot(phone_page, "portal-office-path-home-phone.png", full_page=True)

    page.get_by_role("link", name="Kirim pengaduan").first.click()
    page.wait_for_url(f"{live_server.url}/instansi/dlh/pengaduan/kirim/")
    page.fill("#id_name", "Rahmi Ayunda")
    page.fill("#id_phone", "0851-5679-1234")
    page.select_option("#id_service_type", label="Persetujuan AMDAL")
    page.fill("#id_subject", "Limbah pabrik")
    page.fill("#id_description", "Limbah cair dibuang ke parit di belakang pasar.")
    page.check("#id_consent")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    assert page.url.startswith(f"{live_server.url}/instansi/dlh/pengaduan/terkirim/")
    complaint = Complaint.objects.get(tracking_code=page.inner_text("#tracking-code").strip())
    assert complaint.office == regency
    assert complaint.register_number == page.inner_text("#register-number").strip()
    assert complaint.register_number.startswith("600/1/DLH/")

    # The code works on the central intake's path too, naming the office handling the case.
    page.goto(f"{live_server.url}/lacak/")
    page.fill("#id_code", complaint.tracking_code)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_selector("#case-office")
    assert page.inner_text("#case-office") == "Dinas Lingkungan Hidup Kabupaten Bengkalis"
    page.goto(f"{live_server.url}/instansi/dlh/pengaduan/kirim/")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(f"{live_server.url}/instansi/dlh/")
    assert "Dinas Lingkungan Hidup" in page.inner_text("body")
    page.get_by_role("link", name="Track a complaint").first.click()
    page.wait_for_url(f"{live_server.url}/instansi/dlh/lacak/")
