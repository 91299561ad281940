"""The management review pack as PDF, drawn with the service reports' reportlab pieces (NanumGothic
for Korean), from the frozen pack: the same figures as the printable page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from reports.exports.pdf import FONT, _p, _register_fonts, _styles


def _grid(headers, rows, styles, width):
    head = [_p(h, styles["head"]) for h in headers]
    body = [[_p("—" if cell is None or cell == "" else cell, styles["base"]) for cell in row] for row in rows]
    if not body:
        body = [[_p(_("None"), styles["note"])] + [""] * (len(head) - 1)]
    flow = Table([head] + body, colWidths=[width / len(head)] * len(head), repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#adb5bd")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if not rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    flow.setStyle(TableStyle(style))
    return flow


def render(review, actions, kpi_rows, finding_rows) -> bytes:
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    title = f"{_('Management review pack')} · {review.title}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=title, author="ITSM service desk")
    width = A4[0] - 28 * mm
    pack = review.pack or {}
    story = [_p(title, styles["title"]),
             _p(f"{review.held_on:%Y-%m-%d} · {_('Chair')}: {review.chair or '—'}", styles["base"]),
             _p(f"{_('Attendees')}: {review.attendees or '—'}", styles["note"]),
             _p(f"{_('Period')}: {review.period_start:%Y-%m-%d} – {review.period_end:%Y-%m-%d}", styles["note"])]

    def section(heading, *flows):
        story.append(_p(heading, styles["h2"]))
        story.extend(flows)
        story.append(Spacer(1, 2 * mm))

    section(_("Actions from previous reviews"), _grid(
        [_("Decision"), _("Owner"), _("Due date"), _("Overdue")],
        [[a.get("title"), a.get("owner"), a.get("due_date"), _("Overdue") if a.get("overdue") else ""]
         for a in pack.get("previous_actions", [])], styles, width))
    section(_("Service performance trends"), _grid(
        [_("Month"), _("Incidents opened"), _("SLA breached"), _("SLA met %%") % {}, _("MTTR (hours)")],
        [list(row) for row in kpi_rows], styles, width))
    audits = (pack.get("audits") or {}).get("audits", [])
    section(_("Audit results"),
            _grid([_("Number"), _("Title"), _("Performed")],
                  [[a.get("number"), a.get("title"), a.get("performed_date")] for a in audits], styles, width),
            Spacer(1, 2 * mm),
            _grid([_("Findings"), _("Open"), _("Closed")], [list(r) for r in finding_rows], styles, width))
    satisfaction = pack.get("satisfaction") or {}
    section(_("Customer satisfaction"), _p(
        _("%(responses)s responses, satisfied %(csat)s %%, response rate %(rate)s %%.") % {
            "responses": satisfaction.get("responses", 0),
            "csat": "—" if satisfaction.get("csat_percent") is None else satisfaction["csat_percent"],
            "rate": "—" if satisfaction.get("response_rate") is None else satisfaction["response_rate"]},
        styles["base"]))
    section(_("Supplier performance"), _grid(
        [_("Supplier"), _("Tickets"), _("Met %%") % {}, _("Open disputes")],
        [[s.get("supplier"), s.get("tickets"), s.get("met_percent"), s.get("disputes_open")]
         for s in pack.get("suppliers", [])], styles, width))
    improvements = pack.get("improvements") or {}
    section(_("Improvement status"), _p(
        _("%(raised)s raised in the period, %(open)s open, %(closed)s closed as effective, %(overdue)s overdue.")
        % {"raised": improvements.get("raised", 0), "open": improvements.get("open", 0),
           "closed": improvements.get("closed_effective", 0), "overdue": improvements.get("overdue", 0)},
        styles["base"]))
    section(_("Risks and opportunities"), _grid(
        [_("Risk"), _("Rating"), _("Treatment")],
        [[r.get("risk"), r.get("rating"), r.get("treatment")] for r in pack.get("risks", [])], styles, width))
    section(_("Minutes"), _p(review.minutes or "—", styles["base"]))
    section(_("Decisions and actions"), _grid(
        [_("Decision"), _("Owner"), _("Due date"), _("State")],
        [[a.title, str(a.owner or ""), a.due_date, a.get_state_display() + (f" ({_('Overdue')})" if a.overdue else "")]
         for a in actions], styles, width))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(A4[0] - 14 * mm, 8 * mm, f"{title} · {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
