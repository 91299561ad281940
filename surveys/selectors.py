"""Read-side questions about satisfaction, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations


def satisfaction(*, start, end, organisation=None, service=None) -> dict:
    """Survey responses received in [start, end) for tickets of that organisation / service.

    Returns {"responses": int, "invited": int, "response_rate": float | None (0..100),
    "csat_percent": float | None (share of scores 4-5, 0..100), "score_100": float | None
    (mean of (score-1)*25), "low_scores": int (1-2), "by_score": {1: n, .., 5: n}}.
    None where there is nothing to divide by.
    """
    return {"responses": 0, "invited": 0, "response_rate": None, "csat_percent": None, "score_100": None,
            "low_scores": 0, "by_score": {score: 0 for score in range(1, 6)}}
