"""The register book as PDF (landscape A4): the complaint table, then the reporter table."""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

from aduan.reports.builders.pdf_base import FONT, grid_table, para, styles
from aduan.reports.builders.register import COMPLAINT_HEADER, REPORTER_HEADER, RegisterRow

# A PDF of more rows than this is unreadable and slow; the XLSX export has no such limit.
MAX_PDF_ROWS = 5000


def build_register_pdf(rows: Iterable[RegisterRow], *, office_name: str, title: str) -> bytes:
    st = styles(10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=1.8 * cm,
                            rightMargin=1.8 * cm, topMargin=1.6 * cm, bottomMargin=1.6 * cm,
                            title=f"Buku Register Pengaduan {title}", author=office_name)
    all_rows = list(rows)
    w = doc.width
    head = [para(office_name.upper(), st["caption"]),
            para(f"BUKU REGISTER PENGADUAN {title.upper()}", st["caption"])]
    story = [*head, para("1. Data surat pengaduan", st["h3"]),
             grid_table(COMPLAINT_HEADER, [r.complaint_cells() for r in all_rows],
                        [w * f for f in (0.05, 0.12, 0.13, 0.45, 0.25)], st,
                        center_cols=(0,)),
             PageBreak(), *head, para("2. Identitas pelapor", st["h3"]),
             grid_table(REPORTER_HEADER, [r.reporter_cells() for r in all_rows],
                        [w * f for f in (0.05, 0.25, 0.35, 0.15, 0.20)], st,
                        center_cols=(0,))]
    if not all_rows:
        story.insert(2, para("Tidak ada pengaduan pada periode ini.", st["plain"]))
    story.append(Spacer(1, 0.2 * cm))

    def number(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(landscape(A4)[0] - 1.8 * cm, 1 * cm,
                               f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()

    doc.build(story, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue()
