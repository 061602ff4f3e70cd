"""The semester report as PDF (ReportLab), with a real table of contents and page numbers:
front matter in roman numerals, chapters from 1, as the seed numbers them."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from aduan.reports.builders.common import (
    blocks,
    count_or_dash,
    item_has_own_mark,
    number_id,
)
from aduan.reports.builders.pdf_base import FONT, grid_table, para, styles
from aduan.reports.builders.semester import (
    IKM_CAPTION,
    IKM_PROFILE_CAPTION,
    PROACTIVE_CAPTION,
    TABLE3_HEADER,
    SemesterReport,
)

PORTRAIT = A4
LANDSCAPE = landscape(A4)
ROMAN_LOWER = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


class _BodyStart(Flowable):
    """Marks the page where BAB I begins: page numbering restarts at 1 there."""

    def wrap(self, *_args: Any) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv._doctemplate.body_start = self.canv.getPageNumber()  # type: ignore[attr-defined]


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, report: SemesterReport) -> None:
        super().__init__(buffer, pagesize=PORTRAIT, title=report.title,
                         author=report.office.short_name,
                         leftMargin=3 * cm, rightMargin=2.5 * cm, topMargin=2.5 * cm,
                         bottomMargin=2.5 * cm)
        self.body_start: int | None = None
        portrait = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="p")
        lw, lh = LANDSCAPE
        wide = Frame(2 * cm, 2 * cm, lw - 4 * cm, lh - 4 * cm, id="l")
        self.addPageTemplates([
            PageTemplate("cover", [portrait], pagesize=PORTRAIT),
            PageTemplate("portrait", [portrait], onPage=self._number, pagesize=PORTRAIT),
            PageTemplate("landscape", [wide], onPage=self._number, pagesize=LANDSCAPE),
        ])

    def page_label(self, page: int) -> str:
        if self.body_start and page >= self.body_start:
            return str(page - self.body_start + 1)
        return ROMAN_LOWER[max(page - 2, 0) % len(ROMAN_LOWER)]

    def _number(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        width = canvas._pagesize[0]
        canvas.drawCentredString(width / 2, 1.3 * cm, self.page_label(canvas.getPageNumber()))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab hook)
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.toc_text, self.page))  # type: ignore[attr-defined]


def _heading(text: str, style: Any, *, toc_level: int | None = None,
             toc_text: str | None = None) -> Paragraph:
    p = Paragraph(escape(text).replace("\n", "<br/>"), style)
    if toc_level is not None:
        p.toc_level = toc_level  # type: ignore[attr-defined]
        p.toc_text = toc_text or text.replace("\n", " ")  # type: ignore[attr-defined]
    return p


def build_semester_pdf(report: SemesterReport) -> bytes:
    buffer = io.BytesIO()
    doc = _Doc(buffer, report)
    st = styles(10.5)
    story: list[Flowable] = [NextPageTemplate("portrait")]
    story += _cover(report, st)
    story += [_heading("KATA PENGANTAR", st["h1"], toc_level=0)]
    story += _text(report.profile.foreword, report, st)
    story += _signature(report, st, with_place=True)
    story += [PageBreak(), _heading("DAFTAR ISI", st["h1"], toc_level=0), _toc(st, doc),
              PageBreak(),
              _BodyStart()]
    story += [_heading("BAB I\nPENDAHULUAN", st["h1"], toc_level=0,
                       toc_text="BAB I PENDAHULUAN")]
    for sec in report.chapter1:
        story += [_heading(f"{sec.number}. {sec.title}", st["h2"], toc_level=1)]
        story += _text(sec.text, report, st)
    story += [PageBreak(), _heading(
        "BAB II\nMONITORING DAN EVALUASI\nPENANGANAN PENGADUAN MASYARAKAT", st["h1"],
        toc_level=0, toc_text="BAB II MONITORING DAN EVALUASI PENANGANAN PENGADUAN MASYARAKAT")]
    for sec in report.chapter2:
        story += [_heading(f"{sec.number}. {sec.title}", st["h2"], toc_level=1)]
        story += _text(sec.text, report, st)
    story += [_heading("H. Laporan Penanganan Pengaduan Masyarakat", st["h3"])]
    story += _text(report.profile.report_intro, report, st)
    story += _tables(report, st, doc)
    story += _proactive(report, st, doc)
    story += _ikm(report, st, doc)
    story += [PageBreak(), _heading("BAB III\nHAMBATAN DAN UPAYA PENYELESAIAN", st["h1"],
                                    toc_level=0,
                                    toc_text="BAB III HAMBATAN DAN UPAYA PENYELESAIAN")]
    story += _text(report.profile.obstacles, report, st)
    story += _text(report.profile.efforts, report, st)
    story += [PageBreak(), _heading("BAB IV\nPENUTUP", st["h1"], toc_level=0,
                                    toc_text="BAB IV PENUTUP")]
    story += _text(report.profile.closing, report, st)
    story += _signature(report, st, with_place=False)
    doc.multiBuild(story)
    return buffer.getvalue()


def _cover(report: SemesterReport, st: dict) -> list[Flowable]:
    office = report.office
    big = st["h1"].clone("cover_big", fontSize=17, leading=24)
    title = st["h1"].clone("cover_title", fontSize=14.5, leading=21)
    out: list[Flowable] = [Spacer(1, 3 * cm), para(office.name.upper(), big),
                           Spacer(1, 1.5 * cm), para(report.title, title), Spacer(1, 1.5 * cm)]
    if office.logo:
        try:
            with office.logo.open("rb") as fh:
                out.append(Image(io.BytesIO(fh.read()), width=4.5 * cm, height=4.5 * cm,
                                 kind="proportional"))
        except (OSError, ValueError):
            pass  # a missing or unreadable logo must not stop the report
    out += [Spacer(1, 5 * cm), para(office.government_name.upper(), title),
            para(office.short_name.upper(), title), para(str(report.period.end.year), title),
            PageBreak()]
    return out


def _toc(st: dict, doc: _Doc) -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0, formatter=doc.page_label)
    toc.levelStyles = [
        st["plain"].clone("toc0", fontName="ReportSans-Bold", leftIndent=0, firstLineIndent=0,
                          spaceBefore=4),
        st["plain"].clone("toc1", leftIndent=18, firstLineIndent=0, spaceAfter=1),
    ]
    return toc


def _text(text: str, report: SemesterReport, st: dict) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks(text, report.values):
        if block.kind == "heading":
            out.append(para(block.text, st["h3"]))
        elif block.kind == "item":
            label = block.text if item_has_own_mark(block.text) else f"• {block.text}"
            out.append(para(label, st["item"]))
        else:
            out.append(para(block.text, st["body"]))
    return out


def _signature(report: SemesterReport, st: dict, *, with_place: bool) -> list[Flowable]:
    sig = st["plain"].clone("sig", leftIndent=8 * cm, spaceAfter=0)
    lines = report.signature_lines if with_place else report.signature_lines[2:]
    name, rank, nip = report.signer
    block: list[Flowable] = [Spacer(1, 0.6 * cm)]
    block += [para(line, sig) if line else Spacer(1, 0.3 * cm) for line in lines]
    block += [Spacer(1, 2.0 * cm),
              Paragraph(f"<b><u>{escape(name)}</u></b>", sig)]
    block += [para(line, sig) for line in (rank, nip) if line]
    return [KeepTogether(block)]


def _proactive(report: SemesterReport, st: dict, doc: _Doc) -> list[Flowable]:
    """Pemantauan proaktif permohonan izin (the watch, issue 16)."""
    section = report.proactive
    if section is None:
        return []
    width = doc.width
    fixed = [0.9 * cm] + [1.85 * cm] * 6
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    small = styles(8)
    # After a landscape Tabel 3 the section starts on the next (portrait) page.
    start: Flowable = PageBreak() if report.table3 is not None else CondPageBreak(6 * cm)
    out: list[Flowable] = [start, _heading(section.title, st["h3"]),
                           para(section.intro, st["body"]), Spacer(1, 0.3 * cm),
                           para(PROACTIVE_CAPTION, st["caption"])]
    out.append(grid_table(section.header, [*section.rows, section.total], widths, small,
                          center_cols=(0, 2, 3, 4, 5, 6, 7), total_row=True))
    return out


def _ikm(report: SemesterReport, st: dict, doc: _Doc) -> list[Flowable]:
    """Survei Kepuasan Masyarakat (PermenPANRB 14/2017, issue 20)."""
    section = report.ikm
    if section is None:
        return []
    width = doc.width
    small = styles(9)
    start: Flowable = (PageBreak() if report.table3 is not None and report.proactive is None
                       else CondPageBreak(8 * cm))
    out: list[Flowable] = [start, _heading(section.title, st["h3"]),
                           para(section.intro, st["body"]), Spacer(1, 0.2 * cm),
                           para(section.sample_note, st["body"]),
                           Spacer(1, 0.3 * cm)]
    if section.rows:
        fixed = [1.0 * cm, 1.7 * cm, 2.2 * cm, 2.2 * cm, 1.4 * cm]
        widths = [fixed[0], width - sum(fixed), *fixed[1:]]
        out += [para(IKM_CAPTION, st["caption"]),
                grid_table(section.header, [*section.rows, section.total], widths, small,
                           center_cols=(0, 2, 3, 4, 5), total_row=True),
                Spacer(1, 0.4 * cm)]
    if section.profile_rows:
        widths = [3.6 * cm, width - 8.6 * cm, 2.2 * cm, 2.8 * cm]
        out += [CondPageBreak(6 * cm), para(IKM_PROFILE_CAPTION, st["caption"]),
                grid_table(section.profile_header, section.profile_rows, widths, small,
                           center_cols=(2, 3))]
    return out


def _tables(report: SemesterReport, st: dict, doc: _Doc) -> list[Flowable]:
    width = doc.width
    out: list[Flowable] = [CondPageBreak(8 * cm),
                           para("Tabel 1. Jumlah Pengaduan Masyarakat Per Media", st["caption"])]
    rows = [(f"{i}.", r.label, count_or_dash(r.count)) for i, r in enumerate(report.table1, 1)]
    rows.append(("", "JUMLAH", number_id(report.table1_total)))
    out += [grid_table(("No.", "SALURAN PENGADUAN", "JUMLAH"), rows,
                       (1.4 * cm, width - 4.4 * cm, 3 * cm), st, center_cols=(0, 2),
                       total_row=True), Spacer(1, 0.5 * cm)]
    image = Image(io.BytesIO(report.diagram1_png))
    scale = min(1.0, (width - 1 * cm) / image.drawWidth)
    image.drawWidth *= scale
    image.drawHeight *= scale
    out += [KeepTogether([
        para("Diagram 1. Jumlah Pengaduan Masyarakat Per Media Pengaduan", st["caption"]),
        image])]
    out += [Spacer(1, 0.3 * cm), para(report.table1_comment, st["body"])]
    rows = [(str(i), label, number_id(n), pct) for i, (label, n, pct)
            in enumerate(report.table2, 1)]
    rows.append(("", "JUMLAH", number_id(report.table2_total),
                 "100%" if report.table2_total else "-"))
    out += [KeepTogether([
        para("Tabel 2. Status Tindak Lanjut Pengaduan Masyarakat", st["caption"]),
        grid_table(("No", "Status Tindak Lanjut Pengaduan", "Jumlah", "Persentase"), rows,
                   (1.2 * cm, width - 7.2 * cm, 2.8 * cm, 3.2 * cm), st,
                   center_cols=(0, 2, 3), total_row=True),
        Spacer(1, 0.3 * cm), para(report.table2_comment, st["body"])])]
    caption = para("Tabel 3. Rekapitulasi Pengaduan Masyarakat dan Tindak Lanjut",
                   st["caption"])
    if report.table3 is None:
        out += [caption] + [para(line, st["body"]) for line in report.table3_summary]
        return out
    lw = LANDSCAPE[0] - 4 * cm
    small = styles(9)
    widths = [f * lw for f in (0.04, 0.15, 0.24, 0.13, 0.14, 0.21, 0.09)]
    out += [NextPageTemplate("landscape"), PageBreak(), caption,
            grid_table(TABLE3_HEADER, [row.cells() for row in report.table3], widths, small,
                       center_cols=(0, 6)),
            NextPageTemplate("portrait")]
    return out
