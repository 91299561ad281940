"""Read-side questions about the improvement register, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations


def improvement_summary(*, start, end, organisation=None, service=None) -> dict:
    """Improvement items of that organisation / service: raised in [start, end), open now, closed
    as effective in [start, end), overdue now, and the open ones by source type.

    Returns {"raised": int, "open": int, "closed_effective": int, "overdue": int,
    "by_source": {source_type: n}, "items": [{"id", "number", "title", "state", "owner",
    "due_date", "source_type"}] (the open ones plus those closed in the period, at most 50)}.
    """
    return {"raised": 0, "open": 0, "closed_effective": 0, "overdue": 0, "by_source": {}, "items": []}
