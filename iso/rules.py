"""What an evidence pack request must satisfy (plain Python: the form, the API and the service
all ask the same)."""

import secrets

from django.utils.translation import gettext as _

from core import clauses
from core.exceptions import DomainError

MIN_SAMPLE, MAX_SAMPLE = 1, 1000
MAX_PERIOD_DAYS = 3 * 366


def check_request(*, clause_ids, period_start, period_end, sample_size, seed):
    """Raise DomainError naming the field at fault; return (clause ids in catalogue order, seed)."""
    clause_ids = [str(c).strip() for c in (clause_ids or [])]
    wrong = clauses.unknown(clause_ids)
    if wrong:
        raise DomainError(_("Unknown clause: %(ids)s.") % {"ids": ", ".join(wrong)}, field="clauses")
    if period_start is None:
        raise DomainError(_("Give the start of the period."), field="period_start")
    if period_end is None:
        raise DomainError(_("Give the end of the period."), field="period_end")
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise DomainError(_("The period is longer than three years."), field="period_end")
    if sample_size is None or not MIN_SAMPLE <= sample_size <= MAX_SAMPLE:
        raise DomainError(_("The sample size must be between %(low)s and %(high)s.")
                          % {"low": MIN_SAMPLE, "high": MAX_SAMPLE}, field="sample_size")
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 64 or "\x00" in seed:
        raise DomainError(_("The seed is at most 64 characters."), field="seed")
    ordered = [c.id for c in clauses.CLAUSES if c.id in set(clause_ids)]
    return ordered, seed
