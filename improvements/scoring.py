"""The priority of an improvement from its benefit, effort and risk scores (each 1..5).

Plain Python, no ORM. The value of doing it counts the benefit twice and subtracts what it costs
(effort) and what could go wrong (risk):

    value = benefit × 2 − effort − risk            (−8 .. +8)

    value ≥ 4   → P1  (high benefit, cheap and safe: act now)
    value ≥ 1   → P2
    value ≥ −2  → P3
    otherwise   → P4  (little benefit for the cost and risk)

Benefit 5 / effort 1 / risk 1 gives +8 (P1); 3/3/3 gives 0 (P3); 1/5/5 gives −8 (P4).
"""

from django.utils.translation import gettext as _

from core.exceptions import DomainError

SCORE_FIELDS = ("benefit", "effort", "risk")
MIN_SCORE, MAX_SCORE = 1, 5
# (lowest value, priority), highest first.
BANDS = ((4, 1), (1, 2), (-2, 3))
LOWEST_PRIORITY = 4


def check_score(name, score):
    """Refuse a score outside 1..5 (or not a whole number), naming the field."""
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise DomainError(_("A score is a whole number from 1 to 5."), field=name, code="invalid_score")
    return score


def value(benefit, effort, risk):
    for name, score in zip(SCORE_FIELDS, (benefit, effort, risk)):
        check_score(name, score)
    return benefit * 2 - effort - risk


def priority(benefit, effort, risk):
    """P1..P4 (1 is the most urgent) of an item scored so."""
    amount = value(benefit, effort, risk)
    for lowest, band in BANDS:
        if amount >= lowest:
            return band
    return LOWEST_PRIORITY


# What an item raised from a source starts with, before anyone scores it (benefit, effort, risk).
DEFAULT_SCORES = {
    "sla_breach": (4, 3, 2),
    "change_review": (4, 3, 3),
    "incident_review": (5, 3, 3),
    "problem": (4, 3, 3),
    "complaint": (4, 2, 2),
    "low_satisfaction": (3, 2, 2),
    "audit_finding": (4, 3, 2),
    "manual": (3, 3, 3),
}
