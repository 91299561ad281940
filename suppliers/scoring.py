"""The quarter of a supplier scorecard and its score. Pure: figures in, figures out."""

from __future__ import annotations

import datetime

# Each dispute raised in the quarter costs the supplier this many points.
DISPUTE_PENALTY = 5
GRADES = ((95, "A"), (85, "B"), (70, "C"), (0, "D"))


def quarter_bounds(label: str) -> tuple[datetime.date, datetime.date]:
    """'2026Q3' → (2026-07-01, 2026-10-01), the end exclusive; ValueError for anything else."""
    text = (label or "").strip().upper()
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(label)
    year, quarter = int(text[:4]), int(text[5])
    if not 1900 < year < 9000:
        raise ValueError(label)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def previous_quarters(label: str, count: int) -> list[str]:
    """The quarter and the count−1 before it, oldest first."""
    start, _end = quarter_bounds(label)
    year, quarter = start.year, (start.month - 1) // 3 + 1
    labels = []
    for _i in range(count):
        labels.append(f"{year}Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(labels))


def score(met_percent, disputes: int) -> int | None:
    """The quarter's score out of 100: the share of targets met, less DISPUTE_PENALTY per dispute
    raised; None when no target was measured (nothing to judge)."""
    if met_percent is None:
        return None
    return max(0, min(100, round(float(met_percent) - DISPUTE_PENALTY * disputes)))


def grade(value) -> str:
    if value is None:
        return "—"
    for floor, letter in GRADES:
        if value >= floor:
            return letter
    return "D"
