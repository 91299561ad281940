"""Priority from impact × urgency, without a database."""

import pytest

from core.exceptions import DomainError
from incidents import priority

DEFAULT = {
    (1, 1): 1, (1, 2): 2, (1, 3): 3,
    (2, 1): 2, (2, 2): 3, (2, 3): 4,
    (3, 1): 3, (3, 2): 4, (3, 3): 5,
}


@pytest.mark.parametrize(("cell", "expected"), DEFAULT.items())
def test_default_matrix(cell, expected):
    assert priority.priority_for(*cell) == expected


def test_matrix_is_passed_in():
    flat = ((1, 1, 1), (2, 2, 2), (3, 3, 3))
    assert priority.priority_for(2, 3, flat) == 2


@pytest.mark.parametrize(("impact", "urgency"), [(0, 1), (4, 1), (1, 9), ("x", 1), (None, 2)])
def test_out_of_range_is_refused(impact, urgency):
    with pytest.raises(DomainError):
        priority.priority_for(impact, urgency)


def test_override_needs_a_reason():
    with pytest.raises(DomainError) as refused:
        priority.decide_priority(impact=3, urgency=3, requested=1, reason="")
    assert refused.value.field == "priority_override_reason"


def test_override_with_reason_and_matching_request():
    assert priority.decide_priority(impact=3, urgency=3, requested=1, reason="CEO's laptop") == (1, True)
    assert priority.decide_priority(impact=3, urgency=3, requested=5, reason="") == (5, False)
    assert priority.decide_priority(impact=1, urgency=1) == (1, False)


@pytest.mark.parametrize("matrix", [((1, 2),), ((1, 2, 3), (1, 2, 3), (1, 2, 9)), ((1, 2, 3),) * 4])
def test_validate_matrix(matrix):
    with pytest.raises(ValueError):
        priority.validate_matrix(matrix)
