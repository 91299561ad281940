"""Read-side questions about the voice of the customer, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations


def voc_summary(*, start, end, organisation=None, service=None) -> dict:
    """VOC records received in [start, end) for that organisation / service.

    Returns {"received": int, "by_kind": {"complaint": n, "suggestion": n, "compliment": n,
    "inquiry": n}, "open_complaints": int (open now, any age), "overdue_complaints": int,
    "responded_in_time_percent": float | None}.
    """
    return {"received": 0, "by_kind": {"complaint": 0, "suggestion": 0, "compliment": 0, "inquiry": 0},
            "open_complaints": 0, "overdue_complaints": 0, "responded_in_time_percent": None}
