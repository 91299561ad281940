"""Risk scoring: questionnaire, CI criticality and downstream impact, without a database."""

import pytest

from changes.choices import Risk
from changes.risk import assess, validate_answers

SAFE = {"outage_required": False, "first_time": False, "tested": True, "backout_tested": True,
        "customer_facing": False}


def test_safe_answers_on_a_minor_ci_are_low():
    result = assess(SAFE, criticalities=[4], impact_size=0)
    assert (result.level, result.score) == (Risk.LOW, 0)


def test_unanswered_questions_count_as_risky():
    result = assess({}, criticalities=[], impact_size=0)
    assert result.score == 10
    assert result.level == Risk.HIGH


@pytest.mark.parametrize(("criticalities", "impact", "expected"), [
    ([4], 0, Risk.LOW),
    ([3, 4], 5, Risk.LOW),          # 1 + 1
    ([2], 10, Risk.MODERATE),       # 2 + 2
    ([1], 0, Risk.MODERATE),        # 4
    ([1], 50, Risk.MODERATE),       # 4 + 3
    ([1, 3], 200, Risk.MODERATE),   # 4 + 4 = 8
])
def test_criticality_and_impact_raise_risk(criticalities, impact, expected):
    assert assess(SAFE, criticalities=criticalities, impact_size=impact).level == expected


def test_outage_on_critical_ci_with_large_impact_is_high():
    answers = {**SAFE, "outage_required": True}
    result = assess(answers, criticalities=[1], impact_size=250, business_services=3)
    assert result.level == Risk.HIGH
    assert result.score == 3 + 4 + 4 + 1


def test_answers_are_validated():
    assert validate_answers({"tested": True}) == {"tested": True}
    with pytest.raises(ValueError):
        validate_answers({"nonsense": True})
    with pytest.raises(ValueError):
        validate_answers({"tested": "yes"})
    with pytest.raises(ValueError):
        validate_answers(["tested"])
