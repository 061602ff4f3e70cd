"""ReportLab basics shared by the report PDFs: fonts with full Unicode, styles, tables."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

FONT, FONT_BOLD, FONT_ITALIC = "ReportSans", "ReportSans-Bold", "ReportSans-Italic"
HEADER_FILL = colors.HexColor("#D9E2F3")
GRID = colors.HexColor("#444444")


@cache
def register_fonts() -> None:
    """DejaVu Sans ships with matplotlib (a dependency), so the PDFs render the seed's "✓",
    "❖" and "–" on any machine without relying on system fonts."""
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(ttf / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


def styles(size: float = 10) -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.45,
                          alignment=TA_JUSTIFY, spaceAfter=size * 0.6, firstLineIndent=28)
    return {
        "body": body,
        "plain": ParagraphStyle("plain", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "item": ParagraphStyle("item", parent=body, firstLineIndent=-14, leftIndent=30,
                               spaceAfter=size * 0.3),
        "center": ParagraphStyle("center", parent=body, firstLineIndent=0, alignment=TA_CENTER),
        "caption": ParagraphStyle("caption", parent=body, firstLineIndent=0,
                                  alignment=TA_CENTER, fontName=FONT_BOLD, spaceBefore=8,
                                  keepWithNext=True),
        "h1": ParagraphStyle("h1", parent=body, firstLineIndent=0, alignment=TA_CENTER,
                             fontName=FONT_BOLD, fontSize=size + 3, leading=(size + 3) * 1.4,
                             spaceAfter=14, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=body, firstLineIndent=0, alignment=TA_LEFT,
                             fontName=FONT_BOLD, fontSize=size + 1, spaceBefore=10,
                             keepWithNext=True),
        "h3": ParagraphStyle("h3", parent=body, firstLineIndent=0, alignment=TA_LEFT,
                             fontName=FONT_BOLD, spaceBefore=6, keepWithNext=True),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=size - 1.5,
                               leading=(size - 1.5) * 1.25),
        "cell_center": ParagraphStyle("cell_center", fontName=FONT, fontSize=size - 1.5,
                                      leading=(size - 1.5) * 1.25, alignment=TA_CENTER),
        "cell_head": ParagraphStyle("cell_head", fontName=FONT_BOLD, fontSize=size - 1.5,
                                    leading=(size - 1.5) * 1.25, alignment=TA_CENTER),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped, with line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def grid_table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
               st: dict[str, ParagraphStyle], *, center_cols: Sequence[int] = (0,),
               total_row: bool = False) -> Table:
    data = [[para(h, st["cell_head"]) for h in header]]
    for row in rows:
        data.append([para(str(v), st["cell_center"] if i in center_cols else st["cell"])
                     for i, v in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2")))
    table.setStyle(TableStyle(commands))
    return table
