"""The watch of permit applications in a real browser: the list per holder, an application
with its actions, the import with its mapping step and progress page, the dashboard panel and
the semester report's section (screenshots in docs/screenshots/, axe finds nothing serious)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from aduan.reports.builders.semester import build_semester_report
from aduan.reports.builders.semester_pdf import build_semester_pdf
from aduan.reports.selectors import Period
from aduan.watch.models import ActionKind, ImportJob, ImportStatus, PermitApplication, WatchAction
from tests.e2e.axe import axe_violations
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

CSV = ("No. Registrasi;Nama Pemohon;No HP;Jenis Izin;Tgl Pengajuan;Tanggal Berkas Lengkap;"
       "Tahapan;Posisi Berkas;Status\n"
       "503/APT/2025/0901;Apotek Mandiri;0812-6861-0901;Izin Apotek;3 Maret 2025;6 Maret 2025;"
       "Survei;Dinas Kesehatan Kabupaten Bengkalis;Proses\n"
       "503/APT/2025/0902;;;Izin Apotek;31 Februari 2025;;;;\n")


@pytest.fixture
def demo_data(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _patient_pages(request):
    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(60_000)


def test_watch_list_and_an_application_with_its_actions(page, live_server, demo_data, login):
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengawasan/")
    assert int(page.inner_text("#figure-late strong")) >= 3
    assert int(page.inner_text("#figure-at-risk strong")) >= 2
    assert "Dinas Kesehatan Kabupaten Bengkalis" in page.inner_text(".watch-holders")
    assert axe_violations(page) == []
    save_screenshot(page, "watch-list.png", full_page=True)
    page.click("text=503/APT/")
    page.wait_for_selector("#watch-used")
    app = PermitApplication.objects.get(number=page.inner_text(".case-number"))
    page.click("#action-phone summary")
    page.fill("#action-phone textarea", "Sekretaris Dinkes: survei dijadwalkan Kamis.")
    with page.expect_navigation():
        page.click("#submit-phone")
    page.click("#action-letter summary")
    with page.expect_navigation():
        page.click("#submit-letter")
    page.click("#action-message summary")
    with page.expect_navigation():
        page.click("#submit-message")
    kinds = set(WatchAction.objects.filter(application=app).values_list("kind", flat=True))
    assert {ActionKind.PHONE, ActionKind.LETTER, ActionKind.APPLICANT_MESSAGE} <= kinds
    assert "survei dijadwalkan Kamis" in page.inner_text("#watch-log")
    assert axe_violations(page) == []
    save_screenshot(page, "watch-application.png", full_page=True)


def test_watch_on_a_phone(phone_page, live_server, demo_data, login):
    login(phone_page, "petugas")
    phone_page.goto(f"{live_server.url}/desk/pengawasan/?state=late")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone_page) == []
    save_screenshot(phone_page, "watch-list-phone.png", full_page=True)
    phone_page.click("text=503/PBG/")
    phone_page.wait_for_selector("#watch-used")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone_page, "watch-application-phone.png", full_page=True)


def test_import_through_the_mapping_step(page, live_server, demo_data, login, tmp_path):
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/pengawasan/impor/")
    path = tmp_path / "ekspor-loket.csv"
    path.write_text(CSV, encoding="utf-8")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("#upload-submit")
    assert page.input_value("#id_number") == "No. Registrasi"
    assert page.input_value("#id_complete_on") == "Tanggal Berkas Lengkap"
    assert axe_violations(page) == []
    save_screenshot(page, "watch-import-mapping.png", full_page=True)
    with page.expect_navigation():
        page.click("#mapping-submit")
    page.wait_for_selector("#rejects-csv")
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.created, job.rejected) == (ImportStatus.DONE, 1, 1)
    assert page.inner_text("#count-rejected") == "1"
    assert axe_violations(page) == []
    save_screenshot(page, "watch-import-done.png", full_page=True)


def test_dashboard_panel_and_the_report_section(page, live_server, demo_data, login, tmp_path):
    login(page, "ketua")
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    period = Period.semester(today.year, half)
    page.goto(f"{live_server.url}/desk/laporan/dasbor/?start={period.start}&end={period.end}")
    assert int(page.inner_text("#watch-late")) >= 3
    save_screenshot(page, "watch-dashboard-panel.png", full_page=False)
    page.locator("#watch-panel").screenshot(path=str(tmp_path / "panel.png"))
    from aduan.offices.models import Office

    report = build_semester_report(Office.objects.get(code="dpmptsp-bengkalis"), period)
    assert report.proactive is not None
    pdf = tmp_path / "semester.pdf"
    pdf.write_bytes(build_semester_pdf(report))
    from pypdf import PdfReader

    pages = [i for i, p in enumerate(PdfReader(str(pdf)).pages, 1)
             if "Pemantauan Proaktif Permohonan Izin" in (p.extract_text() or "")]
    assert pages
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(pages[-1]), "-l",
                    str(pages[-1]), "-singlefile", str(pdf), str(tmp_path / "section")],
                   check=True)
    image = tmp_path / "section.png"
    page.goto(Path(image).as_uri())
    save_screenshot(page, "watch-report-section.png", full_page=True)
