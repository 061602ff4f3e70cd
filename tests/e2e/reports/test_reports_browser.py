"""The reports pages in a real browser: a report job followed by htmx polling until its
download appears, and the head's dashboard on a phone (screenshots in docs/screenshots/)."""

import io

import pytest
from django.core.management import call_command

from aduan.reports.models import JobStatus, ReportJob
from aduan.reports.services import report_job_run
from tests.e2e.shots import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)



@pytest.fixture
def demo_data(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _patient_pages(request):
    """The first request of a session loads the whole project; on a busy CI host that can take
    longer than the fixtures' 15 s default, so these pages wait up to a minute."""
    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(60_000)


def test_report_job_shows_progress_then_the_download(page, live_server, demo_data, login,
                                                     settings):
    # Queue without running, so the page has to poll while the worker (this thread) builds.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    login(page, "ketua")
    page.goto(f"{live_server.url}/desk/laporan/")
    page.select_option("#id_kind", "semester_pdf")
    page.fill("#id_start", "2025-01-01")
    page.fill("#id_end", "2025-06-30")
    save_screenshot(page, "report-index.png")
    page.click("#report-submit")
    page.wait_for_selector("#job-progress")
    assert "Menunggu giliran" in page.inner_text("#job-status")
    save_screenshot(page, "report-job-waiting.png")
    job = ReportJob.objects.get()
    report_job_run(job.pk)
    assert ReportJob.objects.get().status == JobStatus.DONE
    link = page.wait_for_selector("#job-download", timeout=10_000)
    assert "laporan-semester-dpmptsp-bengkalis-20250101-20250630.pdf" in link.inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    save_screenshot(page, "report-job-done.png")


def test_report_form_is_keyboard_operable_and_rejects_a_reversed_period(page, live_server,
                                                                        demo_data, login):
    login(page, "petugas")
    page.goto(f"{live_server.url}/desk/laporan/")
    page.focus("#id_kind")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_start"
    page.fill("#id_start", "2025-06-30")
    page.fill("#id_end", "2025-01-01")
    page.focus("#report-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in page.inner_text("main")
    assert ReportJob.objects.count() == 0


def test_head_dashboard_on_a_phone(phone_page, live_server, demo_data, login):
    login(phone_page, "kadis")
    phone_page.goto(f"{live_server.url}/desk/laporan/dasbor/?start=2025-01-01&end=2025-06-30")
    assert phone_page.inner_text("#kpi-total") == "32"
    assert phone_page.inner_text("#road-on-time") == "100%"
    phone_page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart img')).every(i => i.complete && "
        "i.naturalWidth > 0)")
    # Nothing wider than the phone: no horizontal scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone_page, "report-dashboard-phone.png", full_page=True)


def test_team_lead_dashboard_on_desktop(page, live_server, demo_data, login):
    login(page, "ketua")
    page.goto(f"{live_server.url}/desk/laporan/dasbor/?start=2025-01-01&end=2025-06-30")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart img')).every(i => i.complete && "
        "i.naturalWidth > 0)")
    assert page.inner_text("#kpi-settled").startswith("31")
    save_screenshot(page, "report-dashboard.png", full_page=True)
