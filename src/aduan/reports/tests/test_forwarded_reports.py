"""Cases an office forwarded to another office in its reports (issue 18, decision 0014): every
number the office issued is accounted for. A forwarded case counts as received and as settled
by forwarding ("Diteruskan ke instansi lain") in the sender's statistics, semester report
(Tabel 1, 2, 3) and register book (XLSX and PDF), without the case's contents."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from aduan.complaints.tests.factories import make_office, register_complaint
from aduan.complaints.tests.test_transfers import staff
from aduan.complaints.transfers import case_forward, case_forward_refuse
from aduan.reports.builders.register import register_count, register_rows
from aduan.reports.builders.semester import build_semester_report
from aduan.reports.generate import generate_document
from aduan.reports.models import ReportKind
from aduan.reports.selectors import FORWARDED, Period, complaint_statistics

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
REASON = "Jalan kabupaten rusak: kewenangan Dinas PUPR."


@pytest.fixture
def forwarded(office, officer):
    """Three cases received in March 2025; the second, by SMS/WA, forwarded to PUPR."""
    pupr = make_office("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang")
    cases = [
        register_complaint(
            office,
            channel_code=code,
            subject=f"Kasus {n}",
            received=dt.datetime(2025, 3, 3 + n, 9, tzinfo=JAKARTA),
        )
        for n, code in enumerate(["website", "sms_wa", "website"])
    ]
    number = cases[1].register_number
    hop = case_forward(cases[1], pupr, by=officer, reason=REASON)
    return pupr, cases, number, hop


@pytest.mark.parametrize("live", [False, True])
def test_statistics_count_a_forwarded_case_as_received_and_settled(forwarded, office, live):
    pupr, _cases, _number, _hop = forwarded
    stats = complaint_statistics(office, MARCH, as_of=MARCH.end, live=live, with_forwarded=True)
    assert (stats.total, stats.settled, stats.in_process, stats.forwarded) == (3, 1, 2, 1)
    assert [(r.key, r.count, r.settled) for r in stats.by_status if r.key == FORWARDED] == [
        (FORWARDED, 1, 1)
    ]
    assert {r.key: r.count for r in stats.by_channel if r.count} == {"website": 2, "sms_wa": 1}
    assert sum(r.count for r in stats.by_month) == 3
    assert sum(r.count for r in stats.by_unit) == 3
    assert sum(r.count for r in stats.by_service_type) == 3
    # The receiver counts it on the day it received it (today), the sender's March does not
    # move when the receiver acts.
    today = timezone.localdate()
    assert complaint_statistics(pupr, Period(today, today), live=live).total == 1


def test_figures_and_live_agree_with_a_forward(forwarded, office):
    a = complaint_statistics(office, MARCH, as_of=MARCH.end, with_forwarded=True)
    b = complaint_statistics(office, MARCH, as_of=MARCH.end, live=True, with_forwarded=True)
    assert (a.total, a.settled, a.by_channel, a.by_status, a.by_month) == (
        b.total,
        b.settled,
        b.by_channel,
        b.by_status,
        b.by_month,
    )


def test_refused_forward_is_the_senders_case_again(forwarded, office, users):
    pupr, _cases, number, hop = forwarded
    case_forward_refuse(hop, by=staff(pupr, "petugas_pupr"), reason="Bukan kami.")
    stats = complaint_statistics(office, MARCH, as_of=MARCH.end, with_forwarded=True)
    assert (stats.total, stats.forwarded) == (3, 0)
    rows = list(register_rows(users["petugas"], MARCH))
    assert len(rows) == 3 and any(number in r.note for r in rows)
    assert not any("Diteruskan" in r.content for r in rows)


def test_semester_report_accounts_for_the_forwarded_number(forwarded, office):
    pupr, _cases, number, hop = forwarded
    report = build_semester_report(office, Period.semester(2025, 1), max_rows=100)
    assert report.table1_total == 3
    assert report.table2[0][:2] == ("Selesai", 1) and report.table2[1][:2] == (
        "Sedang dalam proses",
        2,
    )
    assert [r.no for r in report.table3] == [1, 2, 3]
    row = report.table3[1]
    assert row.status == "Selesai" and row.received == "4 Maret 2025"
    assert f"Diteruskan ke {pupr.name} (nomor {hop.to_register_number})" in row.problem
    assert number in row.problem and "Kasus 1" not in row.problem
    assert "Diteruskan ke instansi lain" in row.follow_up
    annex = generate_document(
        office,
        ReportKind.SEMESTER_ANNEX,
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 30),
        viewer=staff(office, "kepala_x"),
    )
    cells = [
        c
        for r in load_workbook(io.BytesIO(annex.content), read_only=True).active.iter_rows(
            values_only=True
        )
        for c in r
        if c
    ]
    assert any(isinstance(c, str) and number in c for c in cells)


def _register_text(kind, user) -> str:
    doc = generate_document(user.office, kind, MARCH.start, MARCH.end, viewer=user)
    if kind == ReportKind.REGISTER_PDF:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(doc.content)).pages)
    book = load_workbook(io.BytesIO(doc.content), read_only=True)
    return "\n".join(
        str(c)
        for ws in book.worksheets
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c is not None
    )


@pytest.mark.parametrize("kind", [ReportKind.REGISTER_XLSX, ReportKind.REGISTER_PDF])
def test_register_exports_list_the_forwarded_number(forwarded, users, kind):
    pupr, cases, number, hop = forwarded
    officer = users["petugas"]
    assert register_count(officer, MARCH) == 3
    rows = list(register_rows(officer, MARCH))
    assert [r.no for r in rows] == [1, 2, 3]
    assert rows[1].note == f"{number}; SMS / WA; Selesai (diteruskan ke instansi lain)"
    assert rows[1].content == f"Diteruskan ke {pupr.name} (nomor {hop.to_register_number})"
    assert rows[1].name == "-"
    assert [r.note.split(";")[0] for r in (rows[0], rows[2])] == [
        cases[0].register_number,
        cases[2].register_number,
    ]
    text = " ".join(_register_text(kind, officer).split())
    assert number in text and f"Diteruskan ke {pupr.name}" in text
    assert "Kasus 1" not in text


def test_unit_staff_registers_have_no_hops(forwarded, users):
    assert register_count(users["perizinan_a"], MARCH) == 0
    assert list(register_rows(users["perizinan_a"], MARCH)) == []


def test_a_refused_forward_keeps_its_number_in_the_receivers_register(forwarded, office):
    pupr, _cases, _number, hop = forwarded
    pupr_officer = staff(pupr, "petugas_pupr")
    case_forward_refuse(hop, by=pupr_officer, reason="Bukan kami.")
    today = timezone.localdate()
    period = Period(today, today)
    rows = list(register_rows(pupr_officer, period))
    assert len(rows) == 1 and rows[0].note.startswith(hop.to_register_number)
    assert f"Penerusan dari {office.name} ditolak" in rows[0].content
    # Not a complaint the receiver handled: its statistics do not count it.
    assert complaint_statistics(pupr, period).total == 0
