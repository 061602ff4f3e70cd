"""Every reports URL over real HTTP (Django test client): roles, inputs, files."""

import io
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aduan.accounts.testing import login_verified
from aduan.complaints.models import Complaint, IdentityAccess, Reporter
from aduan.reports.models import JobStatus, ReportJob, ReportProfile

pytestmark = pytest.mark.django_db

SEMESTER = {"start": "2025-01-01", "end": "2025-06-30"}


def _client(client, user):
    login_verified(client, user)
    return client


@pytest.mark.parametrize("name", ["reports:index", "reports:dashboard", "reports:texts"])
def test_anonymous_visitors_are_sent_to_login(client, demo, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("username", "index", "dashboard", "texts"), [
    ("petugas", 200, 403, 403),
    ("ketua", 200, 200, 200),
    ("kadis", 200, 200, 403),
    ("admin", 200, 403, 200),
    ("perizinan_a", 403, 403, 403),
])
def test_pages_by_role(client, demo_users, username, index, dashboard, texts):
    c = _client(client, demo_users[username])
    assert c.get(reverse("reports:index")).status_code == index
    assert c.get(reverse("reports:dashboard"), SEMESTER).status_code == dashboard
    assert c.get(reverse("reports:texts")).status_code == texts


def test_requesting_a_semester_report_runs_the_task_and_offers_the_download(
        client, demo_users, django_capture_on_commit_callbacks):
    c = _client(client, demo_users["ketua"])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("reports:job-create"), {**SEMESTER, "kind": "semester_docx"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job-detail", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 100
    assert job.rows == 32
    page = c.get(response["Location"])
    assert b'id="job-download"' in page.content
    assert b"hx-trigger" not in page.content  # finished: polling stops
    download = c.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert "laporan-semester-dpmptsp-bengkalis-20250101-20250630.docx" in \
        download["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any("SALURAN PENGADUAN" in t.rows[0].cells[1].text for t in document.tables)


def test_a_running_job_polls_its_status(client, demo, demo_users):
    job = ReportJob.objects.create(office=demo, kind="semester_pdf", period_start="2025-01-01",
                                   period_end="2025-06-30", requested_by=demo_users["ketua"],
                                   status=JobStatus.RUNNING, progress=40, step="Tabel 3")
    c = _client(client, demo_users["ketua"])
    fragment = c.get(reverse("reports:job-status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b'hx-trigger="every 1s"' in fragment.content
    assert b'value="40"' in fragment.content
    assert c.get(reverse("reports:job-download", args=[job.pk])).status_code == 404


def test_monthly_report_is_generated_as_pdf_and_xlsx(client, demo_users,
                                                     django_capture_on_commit_callbacks):
    c = _client(client, demo_users["petugas"])
    for kind in ("monthly_pdf", "monthly_xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            c.post(reverse("reports:job-create"),
                   {"start": "2025-04-01", "end": "2025-04-30", "kind": kind})
    pdf, xlsx = ReportJob.objects.order_by("id")
    assert (pdf.status, xlsx.status) == (JobStatus.DONE, JobStatus.DONE)
    book = load_workbook(xlsx.file.path, read_only=True)
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(values_only=True)
               if len(r) > 1}
    assert summary["Pengaduan diterima"] == "6"
    assert summary["Selesai"] == "5 (83,3%)"
    open_rows = [r for r in book["Pengaduan terbuka"].iter_rows(values_only=True)
                 if r and isinstance(r[0], int)]
    assert len(open_rows) == 1
    assert open_rows[0][7] >= 1  # working days so far


def test_bad_period_is_refused_with_a_clear_message_and_no_job(client, demo_users):
    c = _client(client, demo_users["ketua"])
    response = c.post(reverse("reports:job-create"),
                      {"start": "2025-06-30", "end": "2025-01-01", "kind": "semester_pdf"})
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    response = c.post(reverse("reports:job-create"),
                      {"start": "kemarin", "end": "2025-01-01", "kind": "semester_pdf"})
    assert response.status_code == 400
    assert "Tanggal awal tidak valid." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_unit_staff_cannot_request_office_wide_reports(client, demo_users):
    c = _client(client, demo_users["perizinan_a"])
    response = c.post(reverse("reports:job-create"), {**SEMESTER, "kind": "semester_docx"})
    assert response.status_code == 302
    assert not ReportJob.objects.exists()


def _register_sheets(content: bytes):
    book = load_workbook(io.BytesIO(content), read_only=True)
    complaints = [r for r in book["Data surat pengaduan"].iter_rows(values_only=True)
                  if r and isinstance(r[0], int)]
    reporters = [r for r in book["Identitas pelapor"].iter_rows(values_only=True)
                 if r and isinstance(r[0], int)]
    return complaints, reporters


def test_register_xlsx_has_the_spec_columns_and_logs_identity_views(client, demo_users):
    c = _client(client, demo_users["kadis"])
    response = c.get(reverse("reports:register-xlsx"), SEMESTER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    headers = [next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "No")
               for ws in book.worksheets]
    assert headers[0] == ("No", "Bulan", "Tanggal surat pengaduan", "Isi pengaduan", "Ket")
    assert headers[1] == ("No", "Nama", "Alamat", "Pekerjaan", "Ket")
    complaints, reporters = _register_sheets(response.content)
    assert len(complaints) == 32
    assert complaints[0][1:3] == ("Januari 2025", "6 Januari 2025")
    assert "DENNY SAPUTRA" in [r[1] for r in reporters]
    assert IdentityAccess.objects.filter(user=demo_users["kadis"],
                                         purpose="register export").count() == 32


def test_register_hides_confidential_reporters_whoever_exports(client, demo_users):
    """Exports show "(dirahasiakan)" and nothing derived, even the complaint team's own."""
    Reporter.objects.filter(name="DENNY SAPUTRA").update(is_confidential=True)
    for username in ("kadis", "petugas"):
        rows = _register_sheets(_client(client, demo_users[username]).get(
            reverse("reports:register-xlsx"), SEMESTER).content)[1]
        client.logout()
        flat = " ".join(str(cell) for row in rows for cell in row)
        assert "DENNY" not in flat.upper()
        assert "SAPUTRA" not in flat.upper()
        assert "D****" not in flat
        assert "(dirahasiakan)" in [r[1] for r in rows]


def test_unit_staff_register_holds_only_their_units_cases(client, demo_users):
    response = _client(client, demo_users["perizinan_a"]).get(
        reverse("reports:register-xlsx"), SEMESTER)
    complaints, _reporters = _register_sheets(response.content)
    expected = Complaint.objects.filter(unit__code="perizinan-a").count()
    assert 0 < len(complaints) == expected < 32


def test_register_pdf_and_bad_input(client, demo_users):
    c = _client(client, demo_users["ketua"])
    response = c.get(reverse("reports:register-pdf"), SEMESTER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    bad = c.get(reverse("reports:register-pdf"), {"start": "2025-13-01", "end": "2025-06-30"})
    assert bad.status_code == 400
    assert "Tanggal awal tidak valid." in bad.content.decode()
    missing = c.get(reverse("reports:register-xlsx"))
    assert missing.status_code == 400
    assert "Isi tanggal awal." in missing.content.decode()


def test_dashboard_shows_the_figures_and_draws_the_charts(client, demo_users):
    c = _client(client, demo_users["kadis"])
    page = c.get(reverse("reports:dashboard"), SEMESTER).content.decode()
    assert 'id="kpi-total">32<' in page
    assert 'id="kpi-settled">31 <small>(96,9%)' in page
    assert 'id="road-volume">32<' in page
    assert "<td>SMS / WA</td><td>26</td>" in page
    # Case 23 (29 April, still in process) is past its 20 working days on 30 June.
    overdue = Complaint.objects.get(reporter__name="DENNY SAPUTRA")
    assert f'<a href="/desk/pengaduan/{overdue.pk}/">{overdue.register_number}</a>' in page
    for chart in ("month", "channel", "status", "unit", "service_type"):
        url = reverse("reports:dashboard-chart", args=[chart])
        assert url in page
        svg = c.get(url, SEMESTER)
        assert svg.status_code == 200
        assert svg["Content-Type"] == "image/svg+xml"
        assert svg.content.lstrip().startswith(b"<?xml")
    assert c.get(reverse("reports:dashboard-chart", args=["secret"]), SEMESTER) \
        .status_code == 404


def test_dashboard_defaults_to_the_semester_of_the_latest_complaint(client, demo_users):
    page = _client(client, demo_users["ketua"]).get(reverse("reports:dashboard"))
    assert page.status_code == 200
    assert 'value="2025-01-01"' in page.content.decode()


def test_team_lead_edits_the_report_texts(client, demo, demo_users):
    c = _client(client, demo_users["ketua"])
    form = c.get(reverse("reports:texts")).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["closing"] = "Demikian laporan {periode} ini kami sampaikan."
    response = c.post(reverse("reports:texts"), data)
    assert response.status_code == 302
    assert ReportProfile.objects.get(office=demo).closing.startswith("Demikian laporan")
    data["table3_max_rows"] = "banyak"
    response = c.post(reverse("reports:texts"), data)
    assert response.status_code == 400
    assert ReportProfile.objects.get(office=demo).table3_max_rows == 300


def test_head_cannot_edit_texts_by_posting(client, demo, demo_users):
    response = _client(client, demo_users["kadis"]).post(reverse("reports:texts"),
                                                         {"closing": "x"})
    assert response.status_code == 403


def test_a_long_register_is_built_in_the_background(client, demo_users, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    from aduan.reports import views

    monkeypatch.setattr(views, "DIRECT_REGISTER_ROWS", 1)
    c = _client(client, demo_users["perizinan_a"])
    page = c.get(reverse("reports:register-xlsx"), SEMESTER)
    assert page.status_code == 200
    assert "dibuat di latar belakang" in page.content.decode()
    assert not ReportJob.objects.exists()  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("reports:job-create"), {**SEMESTER, "kind": "register_xlsx"})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job-detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    complaints, _reporters = _register_sheets(Path(job.file.path).read_bytes())
    assert len(complaints) == Complaint.objects.filter(unit__code="perizinan-a").count()
    # Another user without report rights cannot fetch someone else's job.
    client.logout()
    other = _client(client, demo_users["perizinan_b"])
    assert other.get(reverse("reports:job-download", args=[job.pk])).status_code == 404


def test_dashboard_runs_a_constant_number_of_queries(client, demo, demo_users,
                                                     django_assert_num_queries):
    """Pinned so the dashboard's queries cannot creep back (issue 18: the desk page nearest
    the 50 ms target at 5M; 26 here before the inbound backlog's three queries became one and
    the watch panel's four three, 23 before the IKM's two aggregates became one, 22 before the
    channels, units and service types came from the configuration memo, 19 before the months
    came with the other figures from the monthly roll-up, the watch panel's three queries
    became one and the overdue count came with the overdue list). Every request: session,
    user, django-otp's verified device, the configuration memo's version check, the user's
    roles, the office. The page: the latest date of receipt (default period), the inbound
    backlog, the watch panel, the open breaches, the overdue list with its count, the
    period's figures (months included), the first follow-ups' working days, the IKM's sums
    and its population."""
    c = _client(client, demo_users["kadis"])
    c.get(reverse("reports:dashboard"))  # warm the configuration memo, as in production
    with django_assert_num_queries(15):
        page = c.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    assert 'id="kpi-total">' in page.content.decode()
