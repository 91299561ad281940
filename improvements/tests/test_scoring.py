"""The priority formula, without a database: value = benefit × 2 − effort − risk, banded P1..P4."""

import pytest

from core.exceptions import DomainError
from improvements import scoring


@pytest.mark.parametrize(("benefit", "effort", "risk", "value", "priority"), [
    (5, 1, 1, 8, 1),
    (4, 2, 2, 4, 1),   # the P1 band starts at 4
    (4, 3, 2, 3, 2),
    (3, 2, 3, 1, 2),   # the P2 band starts at 1
    (3, 3, 3, 0, 3),
    (2, 3, 3, -2, 3),  # the P3 band starts at -2
    (2, 4, 3, -3, 4),
    (1, 5, 5, -8, 4),
])
def test_value_and_priority_follow_the_documented_bands(benefit, effort, risk, value, priority):
    assert scoring.value(benefit, effort, risk) == value
    assert scoring.priority(benefit, effort, risk) == priority


def test_every_combination_gives_a_priority_from_1_to_4():
    seen = {scoring.priority(b, e, r) for b in range(1, 6) for e in range(1, 6) for r in range(1, 6)}
    assert seen == {1, 2, 3, 4}


def test_more_benefit_never_lowers_the_priority():
    for effort in range(1, 6):
        for risk in range(1, 6):
            bands = [scoring.priority(b, effort, risk) for b in range(1, 6)]
            assert bands == sorted(bands, reverse=True)


@pytest.mark.parametrize(("field", "scores"), [
    ("benefit", (0, 3, 3)), ("benefit", (6, 3, 3)), ("effort", (3, "five", 3)), ("risk", (3, 3, 2.5)),
    ("risk", (3, 3, True)), ("benefit", (None, 3, 3)),
])
def test_a_score_outside_1_to_5_is_refused_naming_its_field(field, scores):
    with pytest.raises(DomainError) as refused:
        scoring.priority(*scores)
    assert refused.value.field == field


def test_every_source_type_has_default_scores_in_range():
    from improvements.choices import SourceType

    assert set(scoring.DEFAULT_SCORES) == set(SourceType.values)
    for scores in scoring.DEFAULT_SCORES.values():
        assert 1 <= scoring.priority(*scores) <= 4
