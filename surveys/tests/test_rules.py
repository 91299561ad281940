"""The survey rules, without a database."""

import pytest

from core.exceptions import DomainError
from surveys import rules


@pytest.mark.parametrize("raw", [0, 6, "five", "4.5", "", None, True, "-1", 4.0])
def test_a_score_outside_1_to_5_is_refused_naming_the_field(raw):
    with pytest.raises(DomainError) as refused:
        rules.parse_score(raw)
    assert refused.value.field == "score"


@pytest.mark.parametrize("raw,value", [(1, 1), ("5", 5), (" 3 ", 3)])
def test_scores_1_to_5_are_read(raw, value):
    assert rules.parse_score(raw) == value


def test_csat_is_the_share_of_4_and_5_and_the_100_point_score_the_mean_of_score_minus_1_times_25():
    by_score = {1: 1, 2: 0, 3: 1, 4: 1, 5: 1}
    assert rules.csat_percent(by_score) == 50.0
    assert rules.score_100(by_score) == 56.2  # (0 + 50 + 75 + 100) / 4 = 56.25
    assert rules.csat_percent({}) is None and rules.score_100({}) is None
    assert rules.score_100({5: 3}) == 100.0 and rules.score_100({1: 2}) == 0.0


def test_response_rate():
    assert rules.response_rate(1, 4) == 25.0
    assert rules.response_rate(0, 0) is None


def test_sampling_is_stable_per_ticket_and_close_to_the_rate():
    assert rules.sampled("INC0001001", 30) == rules.sampled("INC0001001", 30)
    assert rules.sampled("INC0001001", 100) and not rules.sampled("INC0001001", 0)
    share = sum(rules.sampled(f"INC{n:07d}", 30) for n in range(5000)) / 5000
    assert 0.27 < share < 0.33


def _population():
    # 60 people in Finance/Mail, 30 in Finance/VPN, 10 in HR/Mail
    people = [("Finance", "Mail", f"f-mail-{i}") for i in range(60)]
    people += [("Finance", "VPN", f"f-vpn-{i}") for i in range(30)]
    people += [("HR", "Mail", f"hr-mail-{i}") for i in range(10)]
    return people


def test_the_stratified_sample_is_proportional_to_each_organisation_and_service():
    chosen = rules.stratified_sample(_population(), 20, seed=7)
    assert len(chosen) == len(set(chosen)) == 20
    assert sum(c.startswith("f-mail") for c in chosen) == 12
    assert sum(c.startswith("f-vpn") for c in chosen) == 6
    assert sum(c.startswith("hr-mail") for c in chosen) == 2


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    population = _population()
    assert rules.stratified_sample(population, 20, seed=7) == rules.stratified_sample(list(reversed(population)), 20, seed=7)
    assert rules.stratified_sample(population, 20, seed=7) != rules.stratified_sample(population, 20, seed=8)


def test_seats_left_by_rounding_go_to_the_largest_remainders_and_the_size_is_capped():
    population = [("A", "s", f"a{i}") for i in range(97)] + [("B", "s", f"b{i}") for i in range(3)]
    chosen = rules.stratified_sample(population, 10, seed=1)
    assert len(chosen) == 10 and sum(c.startswith("b") for c in chosen) == 0  # 0.3 seats: none is owed
    assert len(rules.stratified_sample(population, 500, seed=1)) == 100
    assert rules.stratified_sample([], 5, seed=1) == []
