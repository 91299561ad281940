import datetime

import pytest

from suppliers import scoring


@pytest.mark.parametrize(("label", "start", "end"), [
    ("2026Q1", datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),
    ("2026q3", datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)),
    ("2026Q4", datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
])
def test_quarter_bounds(label, start, end):
    assert scoring.quarter_bounds(label) == (start, end)


@pytest.mark.parametrize("label", ["2026Q5", "2026", "Q3-2026", "", "²⁰²⁶Q1", "0000Q1"])
def test_bad_quarters_are_refused(label):
    with pytest.raises(ValueError):
        scoring.quarter_bounds(label)


def test_previous_quarters_cross_the_year():
    assert scoring.previous_quarters("2026Q2", 4) == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]


@pytest.mark.parametrize(("met", "disputes", "score", "grade"), [
    (100.0, 0, 100, "A"), (96.0, 1, 91, "B"), (50.0, 20, 0, "D"), (None, 3, None, "—"), (75.0, 0, 75, "C")])
def test_score_and_grade(met, disputes, score, grade):
    assert scoring.score(met, disputes) == score
    assert scoring.grade(scoring.score(met, disputes)) == grade
