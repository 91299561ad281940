"""Priority from impact × urgency. Pure: the matrix is passed in.

A matrix is a 3×3 list of lists, rows by impact (1 high .. 3 low), columns by urgency
(1 high .. 3 low), cells the priority 1 (critical) .. 5 (planning).
"""

from django.utils.translation import gettext as _

from core.exceptions import DomainError

DEFAULT_MATRIX = (
    (1, 2, 3),  # impact 1 (high)
    (2, 3, 4),  # impact 2 (medium)
    (3, 4, 5),  # impact 3 (low)
)


def validate_matrix(matrix):
    """Raise ValueError unless `matrix` is 3×3 with priorities 1..5."""
    if len(matrix) != 3 or any(len(row) != 3 for row in matrix):
        raise ValueError("The priority matrix must have 3 rows of 3 priorities.")
    if any(not isinstance(cell, int) or not 1 <= cell <= 5 for row in matrix for cell in row):
        raise ValueError("Priorities in the matrix must be integers 1..5.")
    return matrix


def priority_for(impact, urgency, matrix=DEFAULT_MATRIX):
    """The priority the matrix gives to this impact and urgency."""
    try:
        impact, urgency = int(impact), int(urgency)
    except (TypeError, ValueError):
        raise DomainError(_("Impact and urgency must be 1, 2 or 3."), field="impact") from None
    if not (1 <= impact <= 3):
        raise DomainError(_("Impact must be 1, 2 or 3."), field="impact")
    if not (1 <= urgency <= 3):
        raise DomainError(_("Urgency must be 1, 2 or 3."), field="urgency")
    return matrix[impact - 1][urgency - 1]


def decide_priority(*, impact, urgency, requested=None, reason="", matrix=DEFAULT_MATRIX):
    """(priority, overridden) for a write: the matrix value, or an override with a reason.

    `requested` is a priority the user asked for explicitly; asking for anything other than
    the matrix value is an override and needs a reason.
    """
    computed = priority_for(impact, urgency, matrix)
    if requested is None or int(requested) == computed:
        return computed, False
    requested = int(requested)
    if not 1 <= requested <= 5:
        raise DomainError(_("Priority must be between 1 and 5."), field="priority")
    if not (reason or "").strip():
        raise DomainError(
            _("Overriding the priority (matrix gives P%(computed)s) needs a reason.") % {"computed": computed},
            field="priority_override_reason", code="required",
        )
    return requested, True
