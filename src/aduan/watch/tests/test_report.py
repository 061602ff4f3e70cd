"""The semester report's section on proactive monitoring (a table per permit type) and the
dashboard panel."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.db.models import Exists, OuterRef
from django.urls import reverse
from pypdf import PdfReader

from aduan.accounts.testing import login_verified
from aduan.complaints.services import ReporterInput
from aduan.complaints.tests.factories import register_complaint
from aduan.reports.builders.semester import build_semester_report
from aduan.reports.builders.semester_docx import build_semester_docx
from aduan.reports.builders.semester_pdf import build_semester_pdf
from aduan.reports.selectors import Period
from aduan.watch.models import (
    ActionKind,
    ComplaintLink,
    PermitApplication,
    WatchAction,
    WatchState,
)
from aduan.watch.selectors import DashboardFigures, dashboard_figures
from aduan.watch.services import applicant_notify
from aduan.watch.tests.conftest import app_row

TODAY = dt.date(2025, 7, 1)


@pytest.fixture
def semester(office, make_apps, officer):
    make_apps(
        # Izin Apotek, SOP 14: one on time (6 days), one late and still open, one late issued.
        app_row("APT-1", complete_on=dt.date(2025, 3, 3), submitted_on=dt.date(2025, 3, 1),
                status="Selesai", finished_on=dt.date(2025, 3, 11)),
        app_row("APT-2", complete_on=dt.date(2025, 5, 5), submitted_on=dt.date(2025, 5, 2)),
        app_row("APT-3", complete_on=dt.date(2025, 2, 3), submitted_on=dt.date(2025, 2, 3),
                status="Terbit", finished_on=dt.date(2025, 3, 14)),
        app_row("SIP-1", permit_type="SIP Bidan", complete_on=dt.date(2025, 6, 2),
                submitted_on=dt.date(2025, 6, 2), status="Selesai",
                finished_on=dt.date(2025, 6, 5)),
        # Submitted in the next semester: not counted.
        app_row("APT-9", complete_on=None, submitted_on=dt.date(2025, 7, 1)),
        today=TODAY)
    register_complaint(office, description="Izin apotek APT-2 sudah lewat 14 hari kerja.",
                       reporter=ReporterInput(name="Rina", consent=True),
                       received=dt.datetime(2025, 6, 10, 9, tzinfo=dt.UTC))
    applicant_notify(app=PermitApplication.objects.get(number="APT-2"), actor=officer,
                     text="Permohonan Anda sedang kami pantau.")
    return Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))


@pytest.mark.django_db
def test_the_semester_report_has_the_table_per_permit_type(office, semester):
    report = build_semester_report(office, semester, signed_on=TODAY)
    section = report.proactive
    assert section is not None
    rows = {r[1]: r for r in section.rows}
    assert set(rows) == {"Izin Apotek", "SIP Bidan"}
    apotek = rows["Izin Apotek"]
    # No, type, SOP, count, late, median days, notices, complaints
    assert apotek[2:] == ("14", "3", "2", apotek[5], "1", "1")
    assert section.total[3:5] == ("4", "2")
    assert "4 permohonan, 2 melewati SOP; 1 di antaranya kemudian diadukan" in section.intro
    docx_bytes = build_semester_docx(report)
    document = docx.Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in document.paragraphs]
    assert "I. Pemantauan Proaktif Permohonan Izin" in texts
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Jenis Izin")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[1][1] == "Izin Apotek" and cells[1][3:5] == ["3", "2"]
    assert cells[-1][1] == "JUMLAH"
    pdf = PdfReader(io.BytesIO(build_semester_pdf(report)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Pemantauan Proaktif Permohonan Izin" in text and "Izin Apotek" in text


@pytest.mark.django_db
def test_no_applications_no_section(office):
    report = build_semester_report(office, Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
                                   signed_on=TODAY)
    assert report.proactive is None


@pytest.mark.django_db
def test_the_dashboard_panel_shows_the_watch(client, office, semester, lead):
    login_verified(client, lead)
    page = client.get(reverse("reports:dashboard"), {"start": "2025-01-01", "end": "2025-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="watch-late"' in html and 'id="watch-notices"' in html
    panel = html[html.index('id="watch-panel"'):]
    assert ">1<" in panel[panel.index('id="watch-late"'):][:80]  # APT-2 is late now


def _separate_counts(office_id: int, since: dt.date | None) -> DashboardFigures:
    """The panel's figures as four separate queries (the computation before issue 18's merge)."""
    apps = PermitApplication.objects.filter(office_id=office_id)
    linked = Exists(ComplaintLink.objects.filter(application=OuterRef("pk")))
    at_risk = apps.filter(state=WatchState.AT_RISK).count()
    late = apps.filter(state=WatchState.LATE).count()
    late_with = apps.filter(state=WatchState.LATE).filter(linked).count()
    notices = WatchAction.objects.filter(application__office_id=office_id,
                                         kind=ActionKind.APPLICANT_MESSAGE)
    complaints = ComplaintLink.objects.filter(
        application__office_id=office_id,
        application__state__in=[WatchState.LATE, WatchState.DONE_LATE])
    if since is not None:
        notices = notices.filter(done_on__gte=since)
        complaints = complaints.filter(complaint__received_on__gte=since)
    return DashboardFigures(
        at_risk=at_risk, late=late, late_with_complaint=late_with,
        late_without_complaint=late - late_with, notices_sent=notices.count(),
        complaints_about_late=complaints.values("complaint_id").distinct().count())


@pytest.mark.django_db
def test_the_panel_figures_equal_the_separate_counts(office, semester, make_apps,
                                                     django_assert_num_queries):
    make_apps(app_row("APT-4", complete_on=dt.date(2025, 5, 6), submitted_on=dt.date(2025, 5, 6)),
              app_row("APT-5", complete_on=dt.date(2025, 6, 20),
                      submitted_on=dt.date(2025, 6, 19)),
              app_row("APT-6", complete_on=dt.date(2025, 6, 24),
                      submitted_on=dt.date(2025, 6, 23)), today=TODAY)
    # One at risk, one more late without a complaint (states set here: the import's clock is
    # not what this test is about).
    PermitApplication.objects.filter(number="APT-5").update(state=WatchState.AT_RISK)
    PermitApplication.objects.filter(number="APT-4").update(state=WatchState.LATE)
    for since in (None, dt.date(2025, 1, 1), dt.date(2025, 7, 1)):
        with django_assert_num_queries(1):  # the "now" figures, the notices, the complaints
            figures = dashboard_figures(office, since=since)
        assert figures == _separate_counts(office.pk, since)
    figures = dashboard_figures(office)
    assert (figures.at_risk, figures.late, figures.late_with_complaint,
            figures.late_without_complaint) == (1, 2, 1, 1)
    assert figures.notices_sent == 1 and figures.complaints_about_late == 1
