"""Shared pieces of every printed document: A4 page, kop surat, styles, boxes, signatures."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from aduan.documents.data import MONTHS_ID, Letterhead, date_id  # noqa: F401 (re-exported)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"


BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
BODY_JUSTIFIED = ParagraphStyle("body_justified", parent=BODY, alignment=TA_JUSTIFY)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11)
ITALIC = ParagraphStyle("italic", parent=BODY, fontName=FONT_ITALIC)
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=12, leading=16,
                       alignment=TA_CENTER, spaceAfter=2)
SECTION = ParagraphStyle("section", parent=BODY, fontName=FONT_BOLD, spaceBefore=8,
                         spaceAfter=3)
CENTER = ParagraphStyle("center", parent=BODY, alignment=TA_CENTER)
CENTER_BOLD = ParagraphStyle("center_bold", parent=CENTER, fontName=FONT_BOLD)
HEAD_GOV = ParagraphStyle("head_gov", parent=CENTER_BOLD, fontSize=13, leading=16)
HEAD_NAME = ParagraphStyle("head_name", parent=CENTER_BOLD, fontSize=13.5, leading=16.5)
HEAD_ADDR = ParagraphStyle("head_addr", parent=CENTER, fontSize=8.5, leading=11)
DOTS_LINE = ParagraphStyle("dots", parent=BODY, leading=20)


def printable(value: str) -> str:
    """Text the built-in PDF fonts can draw (their encoding is close to cp1252).

    Emoji and other pictographs, common in WhatsApp complaints, are dropped; letters outside
    the encoding lose their accents (NFKD) or, failing that, become "?", instead of printing
    as black boxes.
    """
    out = []
    for char in value:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            if unicodedata.category(char) in {"So", "Sk", "Cs", "Cf", "Mn"} or (
                    "\ufe00" <= char <= "\ufe0f"):
                continue
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if not unicodedata.combining(c))
            try:
                base.encode("cp1252")
            except UnicodeEncodeError:
                base = "?"
            out.append(base)
        else:
            out.append(char)
    return "".join(out)


def text(value: str | None, *, empty: str = "-") -> str:
    """User text made safe for ReportLab's paragraph markup, line breaks kept."""
    value = printable((value or "").strip()).strip()
    if not value:
        return escape(empty)
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of already-escaped markup, limited to what the fonts can draw."""
    return Paragraph(printable(value), style)


def render(story: Sequence[Flowable], *, title: str, author: str) -> bytes:
    """Lay the story out on A4 pages with a page number from the second page on."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=1.5 * cm, bottomMargin=1.7 * cm, title=title,
                            author=author, subject=title, creator="Aduan")

    def _later_pages(canvas, doc_):  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 1 * cm, f"{title} · {doc_.page}")
        canvas.restoreState()

    doc.build(list(story), onLaterPages=_later_pages)
    return buffer.getvalue()


def letterhead(head: Letterhead) -> list[Flowable]:
    """The kop surat: government, office, contact line, and the double rule under it."""
    contact = []
    if head.address:
        contact.append(escape(head.address))
    if head.postal_code:
        contact.append(f"Kode Pos {escape(head.postal_code)}")
    if head.phone:
        contact.append(f"No. Pelayanan {escape(head.phone)}")
    if head.fax:
        contact.append(f"Fax {escape(head.fax)}")
    second = []
    if head.website:
        second.append(f"Website {escape(head.website)}")
    if head.email:
        second.append(f"E-mail: {escape(head.email)}")
    lines = [para(escape(head.government_name.upper()), HEAD_GOV),
             para(escape(head.name.upper()), HEAD_NAME)]
    if contact:
        lines.append(para(" ".join(contact), HEAD_ADDR))
    if second:
        lines.append(para(" ".join(second), HEAD_ADDR))
    logo_width = 2.2 * cm
    logo: Flowable | str = ""
    if head.logo:
        reader = ImageReader(io.BytesIO(head.logo))
        width, height = reader.getSize()
        logo = Image(io.BytesIO(head.logo), width=logo_width,
                     height=logo_width * height / max(width, 1))
    if logo:
        cells, widths = [logo, lines], [logo_width + 0.3 * cm,
                                        CONTENT_WIDTH - logo_width - 0.3 * cm]
    else:
        cells, widths = [lines], [CONTENT_WIDTH]
    table = Table([cells], colWidths=widths, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table, DoubleRule(), Spacer(1, 8)]


class DoubleRule(Flowable):
    """The thick-and-thin line that closes an Indonesian letterhead."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 7

    def draw(self) -> None:
        self.canv.setLineWidth(2.2)
        self.canv.line(0, 5, self.width, 5)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 1.5, self.width, 1.5)


class CheckBox(Flowable):
    """A square box, crossed (X) when checked. The X is real text, so it can be extracted."""

    size = 9.5

    def __init__(self, checked: bool) -> None:
        super().__init__()
        self.checked = checked

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)
        if self.checked:
            self.canv.setFont(FONT_BOLD, 9)
            self.canv.drawCentredString(self.size / 2, 1.8, "X")


def checkbox_row(items: Sequence[tuple[bool, str]], *, width: float = CONTENT_WIDTH,
                 indent: float = 0, columns: int | None = None,
                 style: ParagraphStyle = BODY) -> Table:
    """Boxes with their labels side by side: [(checked, escaped label), ...]."""
    cells: list[Flowable | str] = []
    col_widths: list[float] = []
    each = (width - indent) / max(columns or len(items), 1)
    if indent:
        cells.append("")
        col_widths.append(indent)
    for checked, label in items:
        cells.extend([CheckBox(checked), para(label, style)])
        col_widths.extend([16, each - 16])
    table = Table([cells], colWidths=col_widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def field_table(rows: Sequence[tuple[str, str]], *, label_width: float = 4.2 * cm,
                width: float = CONTENT_WIDTH) -> Table:
    """`Label : value` rows, as on the paper forms. Both parts are escaped markup."""
    data = [[para(label), para(":"), para(value)] for label, value in rows]
    # splitInRow: a long complaint text continues on the next page instead of failing.
    table = Table(data, colWidths=[label_width, 0.4 * cm, width - label_width - 0.4 * cm],
                  hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def boxed(content: Sequence[Flowable], *, width: float = CONTENT_WIDTH,
          min_height: float = 0) -> Table:
    """Content inside a ruled box (the free-text areas of the follow-up form), at least
    `min_height` tall so that handwriting fits."""
    inner: list[Flowable] = list(content)
    if min_height:
        inner.append(MinHeight(min_height, list(content)))
    table = Table([[inner]], colWidths=[width], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


class MinHeight(Flowable):
    """Pads a box so that handwriting fits when there is little or no printed text."""

    def __init__(self, height: float, siblings: Sequence[Flowable]) -> None:
        super().__init__()
        self.target = height
        self.siblings = list(siblings)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        used = sum(f.wrap(available_width, available_height)[1] for f in self.siblings)
        return available_width, max(self.target - used, 0)

    def draw(self) -> None:
        return None


def dots(width: float, style: ParagraphStyle = BODY) -> str:
    """As many dots as fill `width`: a line to write on that is also plain text."""
    # Frames and table cells pad their content by 6 pt on each side.
    return "." * int((width - 16) / stringWidth(".", style.fontName, style.fontSize))


def writing_lines(count: int, width: float = CONTENT_WIDTH) -> list[Flowable]:
    """Dotted lines across the page to write on (blank forms)."""
    return [para(dots(width, DOTS_LINE), DOTS_LINE) for _ in range(count)]


def signature_parts(*, place_date: str = "", role_lines: Sequence[str], name: str,
                    extra_lines: Sequence[str] = (), space: float = 1.9 * cm,
                    ) -> tuple[list[Flowable], list[Flowable]]:
    """A signature column in two parts: (place and date, role) and (room to sign, name
    underlined, rank, NIP). All strings are escaped markup."""
    top: list[Flowable] = []
    if place_date:
        top.append(para(place_date, CENTER))
    top.extend(para(line, CENTER) for line in role_lines)
    shown = f"<u>{name}</u>" if name else "(" + "." * 40 + ")"
    bottom: list[Flowable] = [Spacer(1, space), para(shown, CENTER_BOLD)]
    bottom.extend(para(line, CENTER) for line in extra_lines)
    return top, bottom


def signature_block(**kwargs: object) -> list[Flowable]:
    top, bottom = signature_parts(**kwargs)  # type: ignore[arg-type]
    return top + bottom


def signature_pair(left: tuple[list[Flowable], list[Flowable]],
                   right: tuple[list[Flowable], list[Flowable]], *,
                   width: float = CONTENT_WIDTH) -> Table:
    """Two signatures side by side with their names on one line, whatever the roles' length."""
    table = Table([[left[0], right[0]], [left[1], right[1]]],
                  colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"), ("VALIGN", (0, 1), (-1, 1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def two_columns(left: Sequence[Flowable], right: Sequence[Flowable], *,
                width: float = CONTENT_WIDTH) -> Table:
    table = Table([[list(left), list(right)]], colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table
