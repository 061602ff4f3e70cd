"""One entry point from (office, kind, period, viewer) to a finished document.

The builders (python-docx, ReportLab, openpyxl, matplotlib) are imported inside
`generate_document`, the job that uses them: importing this module (the report views and
services do, in every web worker) loads none of them (docs/benchmarks.md, worker memory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.core.exceptions import ValidationFailed
from aduan.offices.models import Office
from aduan.reports.models import ReportKind
from aduan.reports.selectors import (
    Period,
    complaints_for_recap,
    complaints_in_period,
    forwarded_out,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Document:
    file_name: str
    content: bytes
    content_type: str
    rows: int | None = None


def _ignore(_percent: int, _step: str) -> None:
    return None


def _slug(office: Office, period: Period) -> str:
    return f"{office.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def generate_document(office: Office, kind: str, start: dt.date, end: dt.date, *,
                      viewer: User, progress: Callable[[int, str], None] = _ignore,
                      signed_on: dt.date | None = None) -> Document:
    from aduan.reports.builders import monthly as monthly_builder
    from aduan.reports.builders.register import register_count, register_rows
    from aduan.reports.builders.register_pdf import MAX_PDF_ROWS, build_register_pdf
    from aduan.reports.builders.register_xlsx import build_register_xlsx
    from aduan.reports.builders.semester import (
        build_semester_report,
        period_labels,
        table3_rows,
    )
    from aduan.reports.builders.semester_annex import build_table3_annex
    from aduan.reports.builders.semester_docx import build_semester_docx
    from aduan.reports.builders.semester_pdf import build_semester_pdf

    period = Period(start, end)
    slug = _slug(office, period)
    label = period_labels(period)[0]
    if kind in (ReportKind.SEMESTER_DOCX, ReportKind.SEMESTER_PDF):
        report = build_semester_report(office, period, progress=progress, signed_on=signed_on)
        if kind == ReportKind.SEMESTER_DOCX:
            content, ext, mime = build_semester_docx(report), "docx", DOCX
        else:
            content, ext, mime = build_semester_pdf(report), "pdf", PDF
        progress(95, _("Menyimpan"))
        return Document(f"laporan-semester-{slug}.{ext}", content, mime, report.table1_total)
    if kind == ReportKind.SEMESTER_ANNEX:
        forwarded = forwarded_out(office, period)
        total = complaints_in_period(office, period).count() + len(forwarded)
        progress(5, _("Menyusun Tabel 3"))
        content = build_table3_annex(table3_rows(complaints_for_recap(office, period), forwarded),
                                     title=f"{office.name}, {label}", total=total,
                                     progress=progress)
        return Document(f"lampiran-tabel-3-{slug}.xlsx", content, XLSX, total)
    if kind in (ReportKind.MONTHLY_PDF, ReportKind.MONTHLY_XLSX):
        progress(10, _("Menghitung"))
        pdf = kind == ReportKind.MONTHLY_PDF
        report = monthly_builder.build_monthly_report(
            office, period, open_limit=monthly_builder.MAX_OPEN_IN_PDF if pdf else None)
        progress(70, _("Menyusun dokumen"))
        if pdf:
            return Document(f"laporan-bulanan-{slug}.pdf",
                            monthly_builder.build_monthly_pdf(report), PDF, report.stats.total)
        return Document(f"laporan-bulanan-{slug}.xlsx",
                        monthly_builder.build_monthly_xlsx(report), XLSX, report.stats.total)
    if kind in (ReportKind.REGISTER_XLSX, ReportKind.REGISTER_PDF):
        total = register_count(viewer, period)
        progress(5, _("Menyusun buku register"))
        if kind == ReportKind.REGISTER_PDF:
            if total > MAX_PDF_ROWS:
                raise ValidationFailed(
                    _("Periode ini memuat %(n)s pengaduan; buku register PDF paling banyak "
                      "%(max)s baris. Gunakan XLSX atau perpendek periodenya.")
                    % {"n": total, "max": MAX_PDF_ROWS})
            content = build_register_pdf(register_rows(viewer, period),
                                         office_name=office.name, title=label)
            return Document(f"buku-register-{slug}.pdf", content, PDF, total)
        content = build_register_xlsx(register_rows(viewer, period),
                                      title=f"{office.name}, {label}")
        return Document(f"buku-register-{slug}.xlsx", content, XLSX, total)
    raise ValidationFailed(_("Jenis laporan tidak dikenal."))
