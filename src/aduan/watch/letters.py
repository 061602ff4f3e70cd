"""The letter to the agency holding a late application, and the report to the head of office,
as PDF (ReportLab, the documents app's kop surat) and DOCX (python-docx). Built from the text
the office's editable template produced when the action was logged, and its letter number.
ReportLab and python-docx are imported inside the builders."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from aduan.documents.data import Letterhead


@dataclass(frozen=True)
class WatchLetter:
    letterhead: Letterhead
    number: str
    dated_on: dt.date
    subject: str
    addressee: str
    body: str
    is_report: bool = False  # a report to the head of office (nota dinas), not a letter


def build_pdf(letter: WatchLetter) -> bytes:
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    from aduan.documents.builders.base import (
        BODY,
        BODY_JUSTIFIED,
        CONTENT_WIDTH,
        TITLE,
        field_table,
        letterhead,
        para,
        render,
        signature_parts,
        text,
        two_columns,
    )
    from aduan.documents.data import date_id

    head = letter.letterhead
    story = letterhead(head)
    place_date = f"{text(head.city)}, {date_id(letter.dated_on)}"
    if letter.is_report:
        story += [para("NOTA DINAS", TITLE), Spacer(1, 8),
                  field_table([("Kepada", f"Yth. {text(letter.addressee)}"),
                               ("Dari", "Substansi Pengaduan, Kebijakan dan Pelaporan Layanan"),
                               ("Tanggal", date_id(letter.dated_on)),
                               ("Hal", f"<b>{text(letter.subject)}</b>")],
                              label_width=2.4 * cm), Spacer(1, 10)]
    else:
        meta = field_table([("Nomor", text(letter.number)), ("Sifat", "Segera"),
                            ("Lampiran", "-"), ("Hal", f"<b>{text(letter.subject)}</b>")],
                           label_width=2 * cm, width=CONTENT_WIDTH * 0.62)
        table = Table([[meta, para(place_date, BODY)]],
                      colWidths=[CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [table, Spacer(1, 12), para("Kepada Yth.", BODY),
                  para(f"Pimpinan {text(letter.addressee)}", BODY), para("di Tempat", BODY),
                  Spacer(1, 12), para("Dengan hormat,", BODY), Spacer(1, 6)]
    for paragraph in [p for p in letter.body.split("\n\n") if p.strip()]:
        story += [para(text(paragraph), BODY_JUSTIFIED), Spacer(1, 6)]
    closing = ("Demikian disampaikan, atas perhatian dan kerja samanya kami ucapkan terima "
               "kasih.")
    extra = []
    if head.head_rank:
        extra.append(text(head.head_rank))
    if head.head_nip:
        extra.append(f"NIP. {text(head.head_nip)}")
    if letter.is_report:
        top, bottom = signature_parts(place_date=place_date,
                                      role_lines=["Koordinator Substansi Pengaduan,"],
                                      name="")
    else:
        top, bottom = signature_parts(place_date="", role_lines=[
            text(head.head_title or "Kepala") + ","], name=text(head.head_name),
            extra_lines=extra)
    story.append(KeepTogether([para(closing, BODY_JUSTIFIED), Spacer(1, 16),
                               two_columns([], [*top, *bottom])]))
    return render(story, title=f"{letter.subject} {letter.number}".strip(), author=head.name)


def build_docx(letter: WatchLetter) -> bytes:  # noqa: PLR0915 - one straight page layout
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from aduan.documents.data import date_id

    head = letter.letterhead
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    def line(value: str, *, bold: bool = False, size: float | None = None,
             center: bool = False) -> None:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(value)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(2)

    line(head.government_name.upper(), bold=True, size=13, center=True)
    line(head.name.upper(), bold=True, size=13, center=True)
    address = ", ".join(filter(None, [head.address, head.city, head.postal_code]))
    contacts = " · ".join(filter(None, [f"Telp. {head.phone}" if head.phone else "",
                                        head.email, head.website]))
    line(address, size=9, center=True)
    if contacts:
        line(contacts, size=9, center=True)
    line("_" * 80, center=True)
    if letter.is_report:
        line("NOTA DINAS", bold=True, center=True)
        line(f"Kepada\t: Yth. {letter.addressee}")
        line("Dari\t: Substansi Pengaduan, Kebijakan dan Pelaporan Layanan")
        line(f"Tanggal\t: {date_id(letter.dated_on)}")
        line(f"Hal\t: {letter.subject}")
    else:
        line(f"{head.city}, {date_id(letter.dated_on)}")
        line(f"Nomor\t: {letter.number}")
        line("Sifat\t: Segera")
        line("Lampiran\t: -")
        line(f"Hal\t: {letter.subject}")
        line("")
        line("Kepada Yth.")
        line(f"Pimpinan {letter.addressee}")
        line("di Tempat")
        line("")
        line("Dengan hormat,")
    for paragraph in [p for p in letter.body.split("\n\n") if p.strip()]:
        body = doc.add_paragraph(paragraph.strip())
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.add_paragraph("Demikian disampaikan, atas perhatian dan kerja samanya kami ucapkan "
                      "terima kasih.")
    for value in ([f"{head.head_title or 'Kepala'},", "", "", "", head.head_name,
                   head.head_rank, f"NIP. {head.head_nip}" if head.head_nip else ""]
                  if not letter.is_report else
                  ["Koordinator Substansi Pengaduan,", "", "", "", ""]):
        paragraph = doc.add_paragraph(value)
        paragraph.paragraph_format.left_indent = Cm(9)
        paragraph.paragraph_format.space_after = Pt(0)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
