"""The report as an XLSX workbook (openpyxl): a cover sheet and one sheet per section, numbers
as numbers where the snapshot holds them, labels in the active language."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from django.utils.translation import gettext as _

from reports import presentation

HEAD_FILL = PatternFill("solid", fgColor="E9ECEF")
BOLD = Font(bold=True)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
INVALID_TITLE = re.compile(r"[\[\]\*\?/\\:]")


def _value(cell):
    """'12' → 12, '95.5 %' → 95.5 (formatted as a percentage in the sheet), anything else as text."""
    text = str(cell)
    if NUMBER.match(text):
        return (float(text) if "." in text else int(text)), None
    if text.endswith(" %") and NUMBER.match(text[:-2]):
        return float(text[:-2]) / 100, "0.0%"
    return text, None


def render(snapshot, report=None) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = INVALID_TITLE.sub(" ", _("Report"))[:31]
    cover.append([presentation.title(snapshot)])
    cover["A1"].font = Font(bold=True, size=14)
    for key, value in presentation.meta(snapshot, report):
        cover.append([key, value])
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = 60
    used = {cover.title}
    for section in presentation.sections(snapshot):
        name = INVALID_TITLE.sub(" ", section.title)[:31] or section.key
        if name in used:
            name = f"{name[:28]} {len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=12)
        if section.note:
            sheet.append([section.note])
        for table in section.tables:
            sheet.append([])
            if table.caption:
                sheet.append([table.caption])
                sheet.cell(row=sheet.max_row, column=1).font = BOLD
            sheet.append(list(table.headers))
            for cell in sheet[sheet.max_row]:
                cell.font, cell.fill = BOLD, HEAD_FILL
            for row in table.rows:
                values = [_value(c) for c in row]
                sheet.append([v for v, _f in values])
                for cell, (_v, fmt) in zip(sheet[sheet.max_row], values):
                    if fmt:
                        cell.number_format = fmt
        for index in range(1, (sheet.max_column or 1) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 22 if index > 1 else 34
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
