"""Formulir Pengaduan Masyarakat (the seed report's Gambar 2), filled or blank."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from aduan.documents.builders.base import (
    BODY,
    CONTENT_WIDTH,
    SECTION,
    SMALL,
    TITLE,
    date_id,
    dots,
    field_table,
    letterhead,
    para,
    render,
    signature_pair,
    signature_parts,
    text,
    writing_lines,
)
from aduan.documents.data import ComplaintFormData, ReporterBlock

LABEL_WIDTH = 4.2 * cm
DOTS = dots(CONTENT_WIDTH - LABEL_WIDTH - 0.4 * cm)
TITLE_TEXT = "FORMULIR PENGADUAN MASYARAKAT"


def reporter_rows(reporter: ReporterBlock) -> list[tuple[str, str]]:
    """Nama, Nomor KTP, Alamat lengkap, Telepon, E-mail; hidden values say why."""
    if reporter.is_anonymous:
        hidden = "(anonim)"
    elif reporter.is_masked:
        hidden = "(dirahasiakan)"
    else:
        hidden = "-"
    return [
        ("Nama", text(reporter.name, empty=hidden)),
        ("Nomor KTP", text(reporter.nik, empty=hidden)),
        ("Alamat lengkap", text(reporter.address, empty=hidden)),
        ("Telepon", text(reporter.phone, empty=hidden)),
        ("E-mail", text(reporter.email, empty=hidden)),
    ]


def build_complaint_form(data: ComplaintFormData) -> bytes:
    """The filled form when `data.reporter` is given, else the blank one for handwriting."""
    head = data.letterhead
    story: list[Flowable] = letterhead(head)
    number = escape(data.register_number) if data.register_number else DOTS[:40]
    story.append(para(TITLE_TEXT, TITLE))
    story.append(para(f"NO : {number}", TITLE))
    story.append(Spacer(1, 10))
    if data.reporter is None:
        story.append(field_table([(label, DOTS) for label in (
            "Nama", "Nomor KTP", "Alamat lengkap", "", "Telepon", "E-mail",
            "Subjek pengaduan")], label_width=LABEL_WIDTH))
        story.append(para("Uraian Pengaduan :", BODY))
        story.extend(writing_lines(12))
    else:
        rows = [*reporter_rows(data.reporter),
                ("Subjek pengaduan", text(data.subject)),
                ("Uraian Pengaduan", text(data.description))]
        story.append(field_table(rows, label_width=LABEL_WIDTH))
    story.append(Spacer(1, 14))
    day = date_id(data.received_on) if data.received_on else DOTS[:30]
    place_date = f"{escape(head.city)}, {day}"
    reporter_name = data.reporter.name if data.reporter is not None else ""
    story.append(signature_pair(
        signature_parts(role_lines=["Yang menerima pengaduan"],
                        name=escape(data.received_by.upper())),
        signature_parts(place_date=place_date, role_lines=["Yang melapor pengaduan"],
                        name=escape(reporter_name.upper())),
    ))
    story.append(Spacer(1, 0.8 * cm))
    story.append(para("Catatan :", SECTION))
    notes = [
        "Data yang kami isikan lengkap dan benar, sesuai dengan ketentuan",
        f"Hal yang diadukan sesuai dengan substansi {escape(head.name)}.",
        "Pengaduan akan ditindaklanjuti jika di isi secara lengkap dan benar.",
    ]
    for i, note in enumerate(notes, start=1):
        story.append(para(f"{i}. {note}", SMALL))
    title = TITLE_TEXT.title() + (f" {data.register_number}" if data.register_number else "")
    return render(story, title=title, author=head.name)
