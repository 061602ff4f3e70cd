"""The semester report as an editable DOCX (python-docx), in the layout of the seed report."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from aduan.reports.builders.common import blocks, count_or_dash, item_has_own_mark, number_id
from aduan.reports.builders.semester import (
    IKM_CAPTION,
    IKM_PROFILE_CAPTION,
    PROACTIVE_CAPTION,
    TABLE3_HEADER,
    Section,
    SemesterReport,
)

FONT = "Arial"
HEADER_FILL = "D9E2F3"
CELL_STYLE = "Isi Tabel"


def build_semester_docx(report: SemesterReport) -> bytes:
    doc = Document()
    _base_styles(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.5)
    _page_number_footer(section.footer.paragraphs[0])

    _cover(doc, report)
    _foreword(doc, report)
    _contents(doc)

    _chapter(doc, "BAB I", "PENDAHULUAN")
    for sec in report.chapter1:
        _section(doc, sec, report)
    _chapter(doc, "BAB II", "MONITORING DAN EVALUASI PENANGANAN PENGADUAN MASYARAKAT")
    for sec in report.chapter2:
        _section(doc, sec, report)
    _heading(doc, "H. Laporan Penanganan Pengaduan Masyarakat", level=3)
    _text(doc, report.profile.report_intro, report)
    _tables(doc, report)
    _proactive(doc, report)
    _ikm(doc, report)

    # After the landscape Tabel 3 the portrait section already starts a new page.
    _chapter(doc, "BAB III", "HAMBATAN DAN UPAYA PENYELESAIAN",
             new_page=(report.table3 is None or report.proactive is not None
                       or report.ikm is not None))
    _text(doc, report.profile.obstacles, report)
    _text(doc, report.profile.efforts, report)
    _chapter(doc, "BAB IV", "PENUTUP")
    _text(doc, report.profile.closing, report)
    _signature(doc, report, with_place=False)

    doc.core_properties.title = report.title
    doc.core_properties.author = report.office.short_name
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _base_styles(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 13), ("Heading 2", 11.5), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        # The default heading styles name theme fonts, which would override Arial.
        fonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0


def _para(doc: DocumentObject, text: str = "", *, bold: bool = False, size: float | None = None,
          align: WD_ALIGN_PARAGRAPH | None = None, space_after: float | None = None,
          indent_cm: float | None = None) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        for i, line in enumerate(text.split("\n")):
            run = p.add_run(line)
            if bold:
                run.bold = True
            if size:
                run.font.size = Pt(size)
            if i < text.count("\n"):
                run.add_break()
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if indent_cm is not None:
        p.paragraph_format.left_indent = Cm(indent_cm)
    return p


def _page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cover(doc: DocumentObject, report: SemesterReport) -> None:
    office = report.office
    name = office.name.upper()
    for _ in range(3):
        _para(doc)
    _para(doc, name, bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=36)
    _para(doc, report.title, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=48)
    if office.logo:
        try:
            with office.logo.open("rb") as fh:
                doc.add_picture(io.BytesIO(fh.read()), width=Cm(4.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        except (OSError, ValueError):
            pass  # a missing or unreadable logo must not stop the report
    for _ in range(6):
        _para(doc)
    _para(doc, office.government_name.upper(), bold=True, size=13,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    _para(doc, office.short_name.upper(), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, str(report.period.end.year), bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _page_break(doc)


def _foreword(doc: DocumentObject, report: SemesterReport) -> None:
    _heading(doc, "KATA PENGANTAR", level=1)
    _text(doc, report.profile.foreword, report)
    _signature(doc, report, with_place=True)
    _page_break(doc)


def _signature(doc: DocumentObject, report: SemesterReport, *, with_place: bool) -> None:
    lines = report.signature_lines if with_place else report.signature_lines[2:]
    _para(doc, space_after=0)
    for line in lines:
        _para(doc, line, indent_cm=8.0, space_after=0)
    for _ in range(3):
        _para(doc, indent_cm=8.0, space_after=0)
    name, rank, nip = report.signer
    p = _para(doc, indent_cm=8.0, space_after=0)
    run = p.add_run(name)
    run.bold = True
    run.underline = True
    for line in (rank, nip):
        if line:
            _para(doc, line, indent_cm=8.0, space_after=0)


def _contents(doc: DocumentObject) -> None:
    """DAFTAR ISI as a Word table-of-contents field (marked dirty, so Word offers to fill in
    the page numbers on opening; F9 or Tools > Update in LibreOffice), followed by the chapter
    list, which reads correctly even before the field is updated."""
    _heading(doc, "DAFTAR ISI", level=1)
    p = doc.add_paragraph()
    _field(p, 'TOC \\o "1-2" \\h \\z \\u', placeholder=(
        "Klik kanan lalu pilih Perbarui Bidang (Update Field) untuk menampilkan nomor halaman."))
    for line in ("KATA PENGANTAR", "DAFTAR ISI", "BAB I PENDAHULUAN",
                 "BAB II MONITORING DAN EVALUASI PENANGANAN PENGADUAN MASYARAKAT",
                 "BAB III HAMBATAN DAN UPAYA PENYELESAIAN", "BAB IV PENUTUP"):
        _para(doc, line, space_after=2)
    _page_break(doc)


def _field(paragraph: Paragraph, instruction: str, *, placeholder: str = "") -> None:
    def char(kind: str) -> None:
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run._r.append(fld)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page_number_footer(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", placeholder="1")


def _heading(doc: DocumentObject, text: str, *, level: int) -> Paragraph:
    return doc.add_heading(text, level=level)


def _chapter(doc: DocumentObject, number: str, title: str, *, new_page: bool = True) -> None:
    if new_page:
        _page_break(doc)
    _heading(doc, f"{number}\n{title}", level=1)


def _section(doc: DocumentObject, sec: Section, report: SemesterReport) -> None:
    _heading(doc, f"{sec.number}. {sec.title}", level=2)
    _text(doc, sec.text, report)


def _text(doc: DocumentObject, text: str, report: SemesterReport) -> None:
    for block in blocks(text, report.values):
        if block.kind == "heading":
            _heading(doc, block.text, level=3)
        elif block.kind == "item":
            label = block.text if item_has_own_mark(block.text) else f"•  {block.text}"
            p = _para(doc, label, indent_cm=1.0, space_after=3)
            p.paragraph_format.first_line_indent = Cm(-0.6)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        else:
            p = _para(doc, block.text)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.0)


def _caption(doc: DocumentObject, text: str) -> None:
    _para(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc: DocumentObject, header: tuple[str, ...], rows: list[tuple[str, ...]],
           widths_cm: tuple[float, ...], *, font_size: float = 10,
           total: tuple[str, ...] | None = None, numeric_cols: tuple[int, ...] = ()) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(w) for w in widths_cm]
    # python-docx recomputes `row.cells` on every access, so each row's cells are fetched once
    # and only non-default properties are written (a 300-row Tabel 3 stays well under a second).
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(font_size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.width = widths[i]
        _shade(cell, HEADER_FILL)
    _repeat_header(table)
    size = Pt(font_size)
    cell_style = doc.styles[CELL_STYLE]
    all_rows = [*rows, total] if total else rows
    last = len(all_rows) - 1
    for r_index, values in enumerate(all_rows):
        is_total = total is not None and r_index == last
        for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
            cell.width = widths[i]
            par = cell.paragraphs[0]
            par.style = cell_style
            lines = str(text).split("\n")
            for j, line in enumerate(lines):
                run = par.add_run(line)
                run.font.size = size
                if is_total:
                    run.bold = True
                if j < len(lines) - 1:
                    run.add_break()
            if i in numeric_cols or i == 0:
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return table


def _tables(doc: DocumentObject, report: SemesterReport) -> None:
    _caption(doc, "Tabel 1. Jumlah Pengaduan Masyarakat Per Media")
    rows = [(f"{i}.", r.label, count_or_dash(r.count)) for i, r in enumerate(report.table1, 1)]
    _table(doc, ("No.", "SALURAN PENGADUAN", "JUMLAH"), rows, (1.4, 9.5, 3.0),
           total=("", "JUMLAH", number_id(report.table1_total)), numeric_cols=(2,))
    _para(doc)
    _caption(doc, "Diagram 1. Jumlah Pengaduan Masyarakat Per Media Pengaduan")
    doc.add_picture(io.BytesIO(report.diagram1_png), width=Cm(15))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, report.table1_comment).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    _caption(doc, "Tabel 2. Status Tindak Lanjut Pengaduan Masyarakat")
    rows = [(str(i), label, number_id(n), pct) for i, (label, n, pct)
            in enumerate(report.table2, 1)]
    _table(doc, ("No", "Status Tindak Lanjut Pengaduan", "Jumlah", "Persentase"), rows,
           (1.2, 7.5, 2.5, 3.0), total=("", "JUMLAH", number_id(report.table2_total),
                                         "100%" if report.table2_total else "-"),
           numeric_cols=(2, 3))
    _para(doc, report.table2_comment).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    caption = "Tabel 3. Rekapitulasi Pengaduan Masyarakat dan Tindak Lanjut"
    if report.table3 is None:
        _caption(doc, caption)
        for line in report.table3_summary:
            _para(doc, line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return
    # Tabel 3 is wide: its own landscape section (caption included), then back to portrait.
    _landscape(doc, True)
    _caption(doc, caption)
    _table(doc, TABLE3_HEADER, [row.cells() for row in report.table3],
           (1.0, 3.6, 5.6, 2.8, 4.2, 5.6, 2.4), font_size=8.5)
    _landscape(doc, False)


def _proactive(doc: DocumentObject, report: SemesterReport) -> None:
    """Pemantauan proaktif permohonan izin (the watch, issue 16)."""
    section = report.proactive
    if section is None:
        return
    _heading(doc, section.title, level=3)
    _para(doc, section.intro).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _caption(doc, PROACTIVE_CAPTION)
    _table(doc, section.header, section.rows, (1.0, 4.6, 1.7, 1.6, 1.8, 1.8, 1.7, 1.8),
           total=section.total, numeric_cols=(2, 3, 4, 5, 6, 7), font_size=9)


def _ikm(doc: DocumentObject, report: SemesterReport) -> None:
    """Survei Kepuasan Masyarakat (PermenPANRB 14/2017, issue 20)."""
    section = report.ikm
    if section is None:
        return
    _heading(doc, section.title, level=3)
    _para(doc, section.intro).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, section.sample_note, bold=section.sample_note.startswith("Perhatian")
          ).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if section.rows:
        _caption(doc, IKM_CAPTION)
        _table(doc, section.header, section.rows, (1.0, 6.4, 1.9, 2.3, 2.2, 1.6),
               total=section.total, numeric_cols=(2, 3, 4, 5), font_size=9)
    if section.profile_rows:
        _caption(doc, IKM_PROFILE_CAPTION)
        _table(doc, section.profile_header, section.profile_rows, (3.6, 6.0, 2.2, 2.6),
               numeric_cols=(2, 3), font_size=9)


def _landscape(doc: DocumentObject, on: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    long_side, short_side = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = ((long_side, short_side) if on
                                               else (short_side, long_side))
    if on:
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(2.0)
    else:
        section.left_margin, section.right_margin = Cm(3.0), Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
