"""The rules of service reports, as plain Python (no ORM, no request).

- A report covers one calendar month in the organisation's time zone and may be generated only
  once that month has ended there (a month still running would be frozen half-counted).
- States: draft → approved → distributed. Approving and distributing are recorded (who, when,
  to whom) in the audit trail by reports.services.
- Regenerating replaces the snapshot of a *draft* only. An approved or distributed report is
  what the customer signed off: regenerating it is refused (409), never silently rewritten and
  never forked into a second revision: to correct a published report, a manager says so in a
  new report period's review (ISO/IEC 20000-1 9.4 keeps the published figures as evidence).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from core.exceptions import DomainError, InvalidTransition
from reports.choices import ReportState

TRANSITIONS = {
    ReportState.DRAFT: (ReportState.APPROVED,),
    ReportState.APPROVED: (ReportState.DISTRIBUTED,),
    ReportState.DISTRIBUTED: (),
}

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_RECIPIENTS = 50


class AlreadyPublished(DomainError):
    status_code = 409


def parse_month(text) -> dt.date:
    """'2026-11' → 2026-11-01; anything else is refused naming the field."""
    match = MONTH_RE.match(str(text or "").strip())
    if not match:
        raise DomainError(_("Give the month as YYYY-MM."), field="month")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise DomainError(_("Give the month as YYYY-MM."), field="month")
    return dt.date(year, month, 1)


def next_month(first_day: dt.date) -> dt.date:
    return (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_end(first_day: dt.date) -> dt.date:
    """The month's last day (the report's inclusive period_end)."""
    return next_month(first_day) - dt.timedelta(days=1)


def previous_month(now: dt.datetime, time_zone: str) -> dt.date:
    """The first day of the month before the one `now` falls in, in that zone."""
    local = now.astimezone(ZoneInfo(time_zone)).date().replace(day=1)
    return (local - dt.timedelta(days=1)).replace(day=1)


def check_month_ended(first_day: dt.date, time_zone: str, now: dt.datetime) -> None:
    """Refuse a month that has not ended yet in the organisation's zone."""
    end = dt.datetime.combine(next_month(first_day), dt.time(), tzinfo=ZoneInfo(time_zone))
    if now < end:
        raise DomainError(
            _("The month %(month)s has not ended yet in %(zone)s: a report covers a whole month.")
            % {"month": first_day.strftime("%Y-%m"), "zone": time_zone}, field="month")


def check_regenerate(state: str) -> None:
    if state != ReportState.DRAFT:
        raise AlreadyPublished(
            _("This report is %(state)s: its snapshot is frozen and is not regenerated.")
            % {"state": ReportState(state).label}, field="state", code="frozen")


def check_transition(current: str, target: str) -> None:
    allowed = TRANSITIONS.get(current, ())
    if target not in allowed:
        raise InvalidTransition(ReportState(current).label, ReportState(target).label,
                                [ReportState(a).label for a in allowed])


def parse_recipients(value) -> list[str]:
    """A list (or a comma / newline separated text) of e-mail addresses, at least one."""
    if isinstance(value, str):
        items = re.split(r"[,;\n]", value)
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise DomainError(_("Give at least one recipient's e-mail address."), field="recipients")
    recipients = []
    for item in items:
        if not isinstance(item, str):
            raise DomainError(_("Give e-mail addresses as text."), field="recipients")
        item = item.strip()
        if not item:
            continue
        if not EMAIL_RE.match(item) or len(item) > 254:
            raise DomainError(_("“%(value)s” is not an e-mail address.") % {"value": item[:80]}, field="recipients")
        if item.lower() not in (r.lower() for r in recipients):
            recipients.append(item)
    if not recipients:
        raise DomainError(_("Give at least one recipient's e-mail address."), field="recipients")
    if len(recipients) > MAX_RECIPIENTS:
        raise DomainError(_("At most %(max)d recipients.") % {"max": MAX_RECIPIENTS}, field="recipients")
    return recipients
