"""Public-sector SLA rules without a database."""

from decimal import Decimal

import pytest

from publicsla import rules


def table(**changes):
    rows = rules.default_indicators(1)
    for row in rows:
        row.update(changes.get(row["code"], {}))
    return rows


def test_the_default_table_of_every_grade_is_valid():
    for grade in rules.GRADES:
        rules.check_indicators(rules.default_indicators(grade))


def test_grade_1_availability_minimum_and_restore_limit():
    rows = {r["code"]: r for r in rules.default_indicators(1)}
    assert rows["AVL-01"]["minimum"] == Decimal("99.92")
    assert rows["RST-01"]["target"] == 120
    assert {r["code"]: r for r in rules.default_indicators(3)}["RST-01"]["target"] == 180


@pytest.mark.parametrize("grade", [0, 5, -1, "1", 1.5, True, None])
def test_a_grade_outside_1_to_4_is_refused(grade):
    with pytest.raises(rules.RuleError) as refused:
        rules.check_grade(grade)
    assert refused.value.field == "system_grade"


def test_weights_that_do_not_add_up_to_100_are_refused():
    with pytest.raises(rules.RuleError, match="add up to 90"):
        rules.check_indicators(table(**{"SAT-01": {"weight": Decimal("10")}}))


def test_an_availability_weight_under_30_is_refused():
    with pytest.raises(rules.RuleError, match="at least 30"):
        rules.check_indicators(table(**{"AVL-01": {"weight": Decimal("25")}, "SAT-01": {"weight": Decimal("35")}}))


def test_a_150_minute_restore_against_120_is_30_minutes_late_and_its_sanction():
    delay = rules.restore_delay(150, 120)
    assert delay == 30
    assert rules.sanction([delay], Decimal("0.1")) == Decimal("3.00")
    assert rules.restore_delay(119.6, 120) == 0


def test_99_907_is_below_the_grade_1_minimum_and_scores_nothing():
    assert rules.indicator_score(Decimal("99.907"), Decimal("99.95"), Decimal("99.92")) == 0
    assert rules.indicator_score(Decimal("99.95"), Decimal("99.95"), Decimal("99.92")) == 100
    assert rules.indicator_score(Decimal("99.935"), Decimal("99.95"), Decimal("99.92")) == Decimal("80.00")


def test_lower_is_better_indicators_score_the_other_way():
    assert rules.indicator_score(4, 5, 10, lower_is_better=True) == 100
    assert rules.indicator_score(12, 5, 10, lower_is_better=True) == 0
    assert rules.indicator_score(7.5, 5, 10, lower_is_better=True) == Decimal("80.00")


def test_no_data_scores_full():
    assert rules.indicator_score(None, 95, 90) == 100


@pytest.mark.parametrize("score, percent", [(95, 0), (90, 0), (85, 5), (72, 10), (61, 15), (57, 20), (0, 20)])
def test_default_penalty_bands(score, percent):
    assert rules.penalty_percent(Decimal(score)) == percent


def test_bands_over_20_percent_are_refused():
    with pytest.raises(rules.RuleError):
        rules.check_bands([(90, 0), (0, 25)])


def test_overall_score_and_penalty_amount():
    score = rules.overall_score([(40, 0), (20, 100), (20, 100), (20, 100)], Decimal("3"))
    assert score == Decimal("57.00")
    assert rules.penalty_amount(Decimal("50000000"), rules.penalty_percent(score)) == Decimal("10000000")
    assert rules.penalty_amount(Decimal("50000000"), Decimal("20"), waived=True) == 0
