"""The portfolio's lifecycle rules, without a database."""

import pytest

from core.exceptions import DomainError, InvalidTransition
from portfolio import lifecycle
from portfolio.choices import Lifecycle as L


def test_retiring_needs_a_change_that_was_not_cancelled():
    with pytest.raises(DomainError) as info:
        lifecycle.check_move(L.LIVE, L.RETIRED)
    assert info.value.field == "change"
    with pytest.raises(DomainError) as info:
        lifecycle.check_move(L.LIVE, L.RETIRED, change_id=4, change_cancelled=True)
    assert info.value.field == "change"
    lifecycle.check_move(L.LIVE, L.RETIRED, change_id=4)


def test_a_retired_service_does_not_come_back_and_live_goes_only_forward():
    with pytest.raises(InvalidTransition):
        lifecycle.check_move(L.RETIRED, L.LIVE)
    with pytest.raises(InvalidTransition):
        lifecycle.check_move(L.LIVE, L.PIPELINE)
    lifecycle.check_move(L.PIPELINE, L.LIVE)


def test_only_live_services_are_in_the_catalogue():
    assert [stage for stage in L.values if lifecycle.shown_in_catalogue(stage)] == [L.LIVE]
