"""Anonymising reporters at the end of retention (UU 27/2022) keeps the anonymous statistics:
the semester report and the public statistics count exactly what they counted before."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine

from aduan.complaints.models import Complaint, Reporter
from aduan.complaints.retention import reporters_anonymise_expired
from aduan.portal.selectors import public_stats
from aduan.reports.generate import generate_document
from aduan.reports.models import ReportKind
from aduan.reports.selectors import Period, complaint_statistics

pytestmark = pytest.mark.django_db

SEMESTER = Period.semester(2025, 1)
# Five years (the default) after everything the demo recorded, corrections included.
LATER = dt.datetime(2033, 1, 3, 2, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def _figures(demo, demo_users):
    document = generate_document(demo, ReportKind.SEMESTER_DOCX, SEMESTER.start, SEMESTER.end,
                                 viewer=demo_users["ketua"], signed_on=dt.date(2025, 7, 2))
    doc = docx.Document(io.BytesIO(document.content))
    tables = {}
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        if "SALURAN PENGADUAN" in header:
            tables["tabel1"] = rows
        elif "Status Tindak Lanjut Pengaduan" in header:
            tables["tabel2"] = rows
        elif "Jenis Pengaduan" in header:
            # Number, settlement date with working days taken, status; the channel cell holds
            # the masked phone number and the problem cell the (redacted) text.
            tables["tabel3"] = [(r[0], r[3], r[6]) for r in rows]
    return {
        "statistics": complaint_statistics(demo, SEMESTER, as_of=dt.date(2025, 7, 2)),
        "public": public_stats(demo, 2025).as_dict(),
        "public_all_years": public_stats(demo, None).as_dict(),
        "report": tables,
    }


def test_semester_report_and_public_statistics_are_unchanged(demo, demo_users):
    before = _figures(demo, demo_users)
    assert before["statistics"].total == 32

    with time_machine.travel(LATER, tick=False):
        run = reporters_anonymise_expired()
        # Case 23 is still in process: its reporter keeps their data.
        assert run.reporters == 31
        assert Reporter.objects.filter(anonymised_at__isnull=True).get().name == "DENNY SAPUTRA"
        after = _figures(demo, demo_users)

    assert Complaint.objects.filter(office=demo).count() == 32
    assert after == before
    assert len(after["report"]["tabel3"]) == 32


def test_generated_files_covering_expired_days_are_deleted(demo, demo_users):
    from django.core.files.base import ContentFile

    from aduan.reports.models import JobStatus, ReportJob

    def job(start: dt.date, end: dt.date) -> ReportJob:
        row = ReportJob(office=demo, kind=ReportKind.REGISTER_XLSX, period_start=start,
                        period_end=end, requested_by=demo_users["ketua"], status=JobStatus.DONE,
                        file_name="register.xlsx")
        row.file.save("register.xlsx", ContentFile(b"names and phone numbers"), save=False)
        row.save()
        return row

    old = job(SEMESTER.start, SEMESTER.end)
    recent = job(dt.date(2032, 1, 1), dt.date(2032, 6, 30))
    old_name = old.file.name
    storage = old.file.storage

    with time_machine.travel(LATER, tick=False):
        dry = reporters_anonymise_expired(dry_run=True)
        assert dry.purged["report_files"] == 1
        assert storage.exists(old_name)
        run = reporters_anonymise_expired()

    assert run.purged["report_files"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.file.name, old.status, old.file_name) == ("", JobStatus.DONE, "register.xlsx")
    assert not storage.exists(old_name)
    assert recent.file and storage.exists(recent.file.name)
    recent.file.delete(save=False)
