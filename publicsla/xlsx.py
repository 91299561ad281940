"""The evaluation sheet as an XLSX workbook (openpyxl), in Korean like the printed sheet."""

import io
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

BOLD = Font(bold=True)


def _plain(value):
    if value is None:
        return ""
    if hasattr(value, "is_finite"):  # Decimal
        return float(value)
    return value


def render(sheet, sheet_zone="Asia/Seoul") -> bytes:
    with translation.override("ko"):
        book = Workbook()
        ws = book.active
        ws.title = _("Evaluation")
        ws["A1"] = _("Public-sector SLA evaluation sheet")
        ws["A1"].font = Font(bold=True, size=14)
        facts = [
            (_("Contract"), sheet["contract_name"]), (_("Month"), sheet["month"]),
            (_("System grade"), sheet["system_grade"]),
            (_("Availability (%)"), sheet["availability_percent"]),
            (_("Minimum availability (%)"), sheet["availability_minimum"]),
            (_("Maximum restore time (minutes)"), sheet["restore_limit_minutes"]),
            (_("Sanction (points)"), sheet["sanction"]), (_("Score"), sheet["score"]),
            (_("Penalty (%)"), sheet["penalty_percent"]), (_("Monthly contract amount"), sheet["monthly_amount"]),
            (_("Penalty amount"), sheet["penalty_amount"]), (_("Annual waiver applied"), _("yes") if sheet["waived"] else _("no")),
        ]
        row = 3
        for label, value in facts:
            ws.cell(row, 1, str(label)).font = BOLD
            ws.cell(row, 2, _plain(value))
            row += 1
        row += 1
        headers = [_("Code"), _("Indicator"), _("Required"), _("Weight"), _("Target level"), _("Minimum level"),
                   _("Result"), _("Score"), _("Below minimum")]
        for column, header in enumerate(headers, 1):
            ws.cell(row, column, str(header)).font = BOLD
        for item in sheet["indicators"]:
            row += 1
            values = [item["code"], item["name"], _("yes") if item["required"] else _("no"), item["weight"],
                      item["target"], item["minimum"], item["value"], item["score"],
                      _("yes") if item["below_minimum"] else _("no")]
            for column, value in enumerate(values, 1):
                ws.cell(row, column, _plain(value))
        row += 2
        ws.cell(row, 1, str(_("Restore delays"))).font = BOLD
        headers = [pgettext("public sector", "Incident"), pgettext("public sector", "Reported"),
                   _("Restore time (minutes)"), _("Delay (minutes)")]
        for column, header in enumerate(headers, 1):
            ws.cell(row + 1, column, str(header)).font = BOLD
        row += 1
        for delay in sheet["restore_delays"]:
            row += 1
            ws.cell(row, 1, delay["incident"] or f"#{delay['outage']}")
            ws.cell(row, 2, delay["start"].astimezone(ZoneInfo(sheet_zone)).replace(tzinfo=None))
            ws.cell(row, 3, delay["restore_minutes"])
            ws.cell(row, 4, delay["minutes_over"])
        for column, width in zip("ABCDEFGHI", (26, 24, 10, 10, 12, 12, 12, 10, 12)):
            ws.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
