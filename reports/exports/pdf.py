"""The report as PDF (reportlab), in the active language, Korean drawn with NanumGothic.

The font is Debian's fonts-nanum (SIL Open Font Licence), at settings.REPORTS_PDF_FONT; the
Dockerfile installs the package. Without it the PDF would show boxes for Hangul, so a missing
font is an error, not a silent fallback.
"""

from __future__ import annotations

import io
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from reports import presentation

FONT = "NanumGothic"
FONT_BOLD = "NanumGothic-Bold"


@lru_cache(maxsize=1)
def _register_fonts():
    regular = settings.REPORTS_PDF_FONT
    bold = settings.REPORTS_PDF_FONT_BOLD or regular
    pdfmetrics.registerFont(TTFont(FONT, regular))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles():
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    return {
        "base": base,
        "num": ParagraphStyle("num", parent=base, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=10,
                             spaceAfter=4, textColor=colors.HexColor("#1f3b64")),
        "caption": ParagraphStyle("caption", parent=base, fontName=FONT_BOLD, spaceBefore=4, spaceAfter=2),
        "note": ParagraphStyle("note", parent=base, textColor=colors.HexColor("#495057"), spaceAfter=4),
    }


def _p(text, style):
    return Paragraph(escape(str(text)), style)


def _table(table, styles, width):
    head = [_p(h, styles["head"]) for h in table.headers]
    body = [[_p(cell, styles["num"] if i in table.numeric else styles["base"]) for i, cell in enumerate(row)]
            for row in table.rows]
    if not body:
        body = [[_p(_("None in this month."), styles["note"])] + [""] * (len(head) - 1)]
    flow = Table([head] + body, colWidths=[width / len(head)] * len(head), repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#adb5bd")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if not table.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    flow.setStyle(TableStyle(style))
    return flow


def render(snapshot, report=None) -> bytes:
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=presentation.title(snapshot), author="ITSM service desk",
                            )
    width = page[0] - 28 * mm
    story = [_p(presentation.title(snapshot), styles["title"])]
    meta = Table([[_p(k, styles["head"]), _p(v, styles["base"])] for k, v in presentation.meta(snapshot, report)],
                 colWidths=[45 * mm, width - 45 * mm])
    story += [meta, Spacer(1, 4 * mm)]
    for section in presentation.sections(snapshot):
        story.append(_p(section.title, styles["h2"]))
        if section.note:
            story.append(_p(section.note, styles["note"]))
        for table in section.tables:
            if table.caption:
                story.append(_p(table.caption, styles["caption"]))
            story.append(_table(table, styles, width))
            story.append(Spacer(1, 3 * mm))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(page[0] - 14 * mm, 8 * mm, f"{presentation.title(snapshot)} · {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
