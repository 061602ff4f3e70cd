"""The monthly progress report (laporan bulanan, SPEC §4): received, settled, in process and
overdue, per unit and channel, and the cases still open with their working days."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Spacer

from aduan.complaints.privacy import complaint_redactor
from aduan.complaints.workflow import Status
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office
from aduan.reports import selectors
from aduan.reports.builders.common import date_id, number_id, percent_id
from aduan.reports.builders.pdf_base import FONT, grid_table, para, styles
from aduan.reports.builders.semester import period_labels
from aduan.reports.builders.xlsx_base import header_row, new_workbook, save, sheet, title_rows
from aduan.reports.selectors import Period, Row, Statistics

# The PDF lists the oldest open cases up to this many; the XLSX lists them all.
MAX_OPEN_IN_PDF = 300
OPEN_HEADER = ("No", "Nomor register", "Diterima", "Saluran", "Bidang", "Perihal", "Status",
               "Hari kerja", "Batas waktu")
COUNT_HEADER = ("Uraian", "Diterima", "Selesai", "Dalam proses")


@dataclass(frozen=True)
class OpenCase:
    register_number: str
    received_on: dt.date
    channel: str
    unit: str
    subject: str
    status: str
    working_days: int
    due_on: dt.date
    is_overdue: bool

    def cells(self, no: int) -> tuple[str, ...]:
        late = " (lewat)" if self.is_overdue else ""
        return (str(no), self.register_number, date_id(self.received_on), self.channel,
                self.unit, self.subject, self.status, str(self.working_days),
                f"{date_id(self.due_on)}{late}")


@dataclass
class MonthlyReport:
    office: Office
    period: Period
    label: str
    as_of: dt.date
    stats: Statistics
    open_total: int
    open_overdue: int
    open_cases: list[OpenCase]


def build_monthly_report(office: Office, period: Period, *, as_of: dt.date | None = None,
                         open_limit: int | None = None) -> MonthlyReport:
    """`as_of` is the end of the month, or today while the month is still running."""
    today = dt.date.today()  # noqa: DTZ011 -- a calendar date in the server's zone is meant
    as_of = as_of or min(period.end, today)
    stats = selectors.complaint_statistics(office, period, as_of=as_of)
    still_open = selectors.complaints_open_in_period(office, period)
    calendar = calendar_for_office(office.pk)
    labels = dict(Status.choices)
    qs = still_open if open_limit is None else still_open[:open_limit]
    cases = [OpenCase(
        register_number=c.register_number, received_on=c.received_on, channel=c.channel.name,
        unit=c.unit.name if c.unit else "-", subject=complaint_redactor(c)(c.subject),
        status=str(labels[c.status]),
        working_days=max(calendar.working_days_between(c.received_on, as_of), 0),
        due_on=c.due_on, is_overdue=c.due_on < as_of) for c in qs]
    return MonthlyReport(
        office=office, period=period, label=period_labels(period)[0], as_of=as_of,
        stats=stats, open_total=still_open.count(),
        open_overdue=still_open.filter(due_on__lt=as_of).count(), open_cases=cases)


def summary_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    s = report.stats
    d = s.duration
    rows = [
        ("Pengaduan diterima", number_id(s.total)),
        ("Selesai", f"{number_id(s.settled)} ({percent_id(s.settled, s.total)})"),
        ("Sedang dalam proses", f"{number_id(s.in_process)} "
                                f"({percent_id(s.in_process, s.total)})"),
        ("Melewati batas waktu (belum selesai)", number_id(s.overdue)),
        ("Seluruh pengaduan terbuka s.d. akhir periode", number_id(report.open_total)),
        ("  di antaranya melewati batas waktu", number_id(report.open_overdue)),
    ]
    if d and d.settled_with_days:
        rows.append(("Rata-rata hari kerja penyelesaian",
                     f"{d.average:.1f}".replace(".", ",")))
        rows.append((f"Selesai dalam {d.limit_days} hari kerja",
                     percent_id(d.within_limit, d.settled_with_days)))
    return rows


def _count_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    out = [(r.label, number_id(r.count), number_id(r.settled), number_id(r.in_process))
           for r in rows]
    out.append(("Jumlah", number_id(sum(r.count for r in rows)),
                number_id(sum(r.settled for r in rows)),
                number_id(sum(r.in_process for r in rows))))
    return out


def build_monthly_pdf(report: MonthlyReport) -> bytes:
    st = styles(10)
    buffer = io.BytesIO()
    # Landscape: the open cases need nine columns, the register number among them.
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm,
                            title=f"Laporan Bulanan Penanganan Pengaduan {report.label}",
                            author=report.office.short_name)
    w = doc.width
    story = [
        para(report.office.name.upper(), st["caption"]),
        para(f"LAPORAN PERKEMBANGAN PENANGANAN PENGADUAN {report.label.upper()}",
             st["caption"]),
        para(f"Keadaan per {date_id(report.as_of)}", st["center"]),
        para("1. Ringkasan", st["h3"]),
        grid_table(("Uraian", "Jumlah"), summary_rows(report), (w * 0.5, w * 0.25), st,
                   center_cols=(1,)),
        para("2. Per bidang", st["h3"]),
        grid_table(("Bidang", *COUNT_HEADER[1:]), _count_rows(report.stats.by_unit),
                   (w * 0.45, w * 0.1, w * 0.1, w * 0.1), st, center_cols=(1, 2, 3),
                   total_row=True),
        para("3. Per saluran", st["h3"]),
        grid_table(("Saluran", *COUNT_HEADER[1:]),
                   _count_rows([r for r in report.stats.by_channel if r.count]),
                   (w * 0.45, w * 0.1, w * 0.1, w * 0.1), st, center_cols=(1, 2, 3),
                   total_row=True),
        para("4. Pengaduan yang masih terbuka", st["h3"]),
    ]
    shown = report.open_cases[:MAX_OPEN_IN_PDF]
    if shown:
        story.append(grid_table(
            OPEN_HEADER, [c.cells(i) for i, c in enumerate(shown, 1)],
            [w * f for f in (0.04, 0.16, 0.1, 0.12, 0.12, 0.2, 0.1, 0.06, 0.1)],
            styles(8.5), center_cols=(0, 7)))
        if report.open_total > len(shown):
            story.append(para(
                f"Ditampilkan {number_id(len(shown))} pengaduan terlama dari "
                f"{number_id(report.open_total)}; daftar lengkap ada pada versi XLSX.",
                st["plain"]))
    else:
        story.append(para("Tidak ada pengaduan yang masih terbuka.", st["plain"]))
    story.append(Spacer(1, 0.3 * cm))

    def number(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(landscape(A4)[0] / 2, 1.1 * cm, str(canvas.getPageNumber()))
        canvas.restoreState()

    doc.build(story, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue()


def build_monthly_xlsx(report: MonthlyReport) -> bytes:
    wb = new_workbook()
    title = [f"Laporan Perkembangan Penanganan Pengaduan {report.label}",
             f"{report.office.name}, keadaan per {date_id(report.as_of)}"]
    summary = sheet(wb, "Ringkasan", (50, 25))
    title_rows(summary, title)
    header_row(summary, ("Uraian", "Jumlah"))
    for row in summary_rows(report):
        summary.append(list(row))
    for name, rows in (("Per bidang", report.stats.by_unit),
                       ("Per saluran", report.stats.by_channel)):
        ws = sheet(wb, name, (50, 12, 12, 14))
        title_rows(ws, title)
        header_row(ws, (name.split()[1].capitalize(), *COUNT_HEADER[1:]))
        for r in rows:
            ws.append([r.label, r.count, r.settled, r.in_process])
    ws = sheet(wb, "Pengaduan terbuka", (6, 28, 18, 20, 25, 50, 22, 11, 22))
    title_rows(ws, title)
    header_row(ws, OPEN_HEADER)
    for i, c in enumerate(report.open_cases, 1):
        ws.append([i, c.register_number, c.received_on, c.channel, c.unit, c.subject,
                   c.status, c.working_days, c.due_on])
    return save(wb)
