"""Public-sector SLA evaluation (행정기관 SLA, Ministry of the Interior and Safety standard):
pure rules, no database. Every number is a default that a contract overrides.

Our reading of the standard, as the evaluation applies it:
- Indicators carry a kind. Scored kinds (availability, sr_timeliness, recurrence, satisfaction,
  manual) have weights that add up to 100 %, the availability weight at least 30 %. Each scores
  100 at or beyond its target, 0 short of its minimum level, and 60→100 in between (linearly);
  an indicator with nothing to measure in the month (no surveys, no requests) scores 100.
- The restore-time indicator (kind `restore`, 장애조치 최대 허용시간) is a sanction, not a scored
  item: its target is the maximum restore time in minutes (grade 1–2: 120, 3–4: 180) and its
  weight is the sanction per minute of delay (points off the overall score); every unplanned
  outage restored later than the target adds (minutes over) × weight.
- Overall score = Σ weight × indicator score / 100 − sanction (0..100). Penalty bands map the
  score to a percentage of the monthly contract amount, at most 20 %.
- Annual waiver: once per contract and calendar year, the penalty of one month may be waived
  (the month named on the waiver record pays nothing; its score still shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRADES = (1, 2, 3, 4)
# 가용률 minimum per system grade: 1 and 2 from the standard; 3 and 4 our defaults.
GRADE_MINIMUM = {1: Decimal("99.92"), 2: Decimal("99.90"), 3: Decimal("99.80"), 4: Decimal("99.50")}
GRADE_TARGET = {1: Decimal("99.95"), 2: Decimal("99.95"), 3: Decimal("99.90"), 4: Decimal("99.80")}
# 장애조치 최대 허용시간 (minutes) per grade.
RESTORE_LIMIT = {1: 120, 2: 120, 3: 180, 4: 180}
DEFAULT_SANCTION_PER_MINUTE = Decimal("0.1")
MAX_PENALTY_PERCENT = Decimal("20")
MIN_AVAILABILITY_WEIGHT = Decimal("30")
# (lowest score of the band, penalty % of the monthly amount), highest band first.
DEFAULT_PENALTY_BANDS = ((90, 0), (80, 5), (70, 10), (60, 15), (0, 20))

KINDS = ("availability", "restore", "sr_timeliness", "recurrence", "satisfaction", "manual")
SCORED_KINDS = frozenset(KINDS) - {"restore"}
LOWER_IS_BETTER = frozenset({"recurrence"})
HUNDRED = Decimal("100")


class RuleError(ValueError):
    """Input a contract cannot have; `field` names it."""

    def __init__(self, message, field, code="invalid", **params):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.params = params


def default_indicators(grade: int) -> list[dict]:
    """The default indicator table of a grade (Korean names as the standard writes them)."""
    check_grade(grade)
    return [
        {"code": "AVL-01", "name": "가용률", "kind": "availability", "required": True, "weight": Decimal("40"),
         "target": GRADE_TARGET[grade], "minimum": GRADE_MINIMUM[grade],
         "formula": "(운영시간 − 장애시간) ÷ 운영시간 × 100 (%)"},
        {"code": "RST-01", "name": "장애조치 최대 허용시간", "kind": "restore", "required": True,
         "weight": DEFAULT_SANCTION_PER_MINUTE, "target": Decimal(RESTORE_LIMIT[grade]),
         "minimum": Decimal(RESTORE_LIMIT[grade]),
         "formula": "장애 접수부터 조치 완료까지(분); 초과 시 지연시간(분) × 가중치 감점"},
        {"code": "SRT-01", "name": "SR 적기 처리율", "kind": "sr_timeliness", "required": True,
         "weight": Decimal("20"), "target": Decimal("95"), "minimum": Decimal("90"),
         "formula": "기한 내 처리한 서비스 요청 수 ÷ 처리한 서비스 요청 수 × 100 (%)"},
        {"code": "REC-01", "name": "동일장애 재발률", "kind": "recurrence", "required": False,
         "weight": Decimal("20"), "target": Decimal("5"), "minimum": Decimal("10"),
         "formula": "같은 구성 항목·분류로 월 내 재발한 장애 수 ÷ 장애 수 × 100 (%)"},
        {"code": "SAT-01", "name": "고객 만족도", "kind": "satisfaction", "required": False,
         "weight": Decimal("20"), "target": Decimal("80"), "minimum": Decimal("70"),
         "formula": "만족도 조사 점수 평균 (100점 환산)"},
    ]


def check_grade(grade) -> int:
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        raise RuleError("The system grade is 1, 2, 3 or 4.", "system_grade", "grade")
    return grade


def check_indicators(indicators: list[dict]) -> None:
    """Weights of the scored indicators add up to 100 %, availability ≥ 30 %, codes unique,
    one availability and at most one restore indicator, minimum levels on the right side."""
    if not indicators:
        raise RuleError("Give the indicator table.", "indicators", "empty")
    codes = [i["code"] for i in indicators]
    if len(set(codes)) != len(codes):
        raise RuleError("Each indicator code appears once.", "indicators", "duplicate_code")
    kinds = [i["kind"] for i in indicators]
    for kind in kinds:
        if kind not in KINDS:
            raise RuleError(f"Unknown indicator kind: {kind}.", "indicators", "kind", kind=kind)
    if kinds.count("availability") != 1:
        raise RuleError("The table has exactly one availability indicator.", "indicators", "one_availability")
    if kinds.count("restore") > 1:
        raise RuleError("The table has at most one restore-time indicator.", "indicators", "one_restore")
    for i in indicators:
        if Decimal(i["weight"]) < 0:
            raise RuleError("A weight is not negative.", "indicators", "negative_weight")
        if i["kind"] in SCORED_KINDS:
            better = i["kind"] not in LOWER_IS_BETTER
            if (better and Decimal(i["minimum"]) > Decimal(i["target"])) or \
                    (not better and Decimal(i["minimum"]) < Decimal(i["target"])):
                raise RuleError(f"{i['code']}: the minimum level is on the far side of the target.", "indicators",
                                "minimum_side", code=i["code"])
    total = sum(Decimal(i["weight"]) for i in indicators if i["kind"] in SCORED_KINDS)
    if total != HUNDRED:
        raise RuleError(f"The weights add up to {total} %, not 100 %.", "indicators", "weights", total=total)
    availability = next(Decimal(i["weight"]) for i in indicators if i["kind"] == "availability")
    if availability < MIN_AVAILABILITY_WEIGHT:
        raise RuleError(f"The availability weight is {availability} %; it is at least 30 %.", "indicators",
                        "availability_weight", weight=availability)


def check_bands(bands) -> list[tuple[Decimal, Decimal]]:
    """[(lowest score, penalty %)]: scores 0..100, penalties 0..20 %, one band starting at 0."""
    try:
        parsed = sorted(((Decimal(str(s)), Decimal(str(p))) for s, p in bands), reverse=True)
    except (TypeError, ValueError, ArithmeticError):
        raise RuleError("Each band is [lowest score, penalty %].", "penalty_bands", "band_shape")
    if not parsed or parsed[-1][0] != 0:
        raise RuleError("The lowest band starts at score 0.", "penalty_bands", "band_zero")
    for score, penalty in parsed:
        if not (0 <= score <= 100):
            raise RuleError("Band scores are between 0 and 100.", "penalty_bands", "band_score")
        if not (0 <= penalty <= MAX_PENALTY_PERCENT):
            raise RuleError("A penalty is between 0 and 20 % of the monthly amount.", "penalty_bands", "band_penalty")
    return parsed


def indicator_score(value, target, minimum, *, lower_is_better=False) -> Decimal:
    """100 at or beyond the target, 0 short of the minimum, 60→100 linearly between."""
    if value is None:
        return HUNDRED
    value, target, minimum = Decimal(str(value)), Decimal(target), Decimal(minimum)
    if lower_is_better:
        value, target, minimum = -value, -target, -minimum
    if value >= target:
        return HUNDRED
    if value < minimum:
        return Decimal(0)
    if target == minimum:
        return HUNDRED
    return (Decimal(60) + Decimal(40) * (value - minimum) / (target - minimum)).quantize(Decimal("0.01"))


def restore_delay(restore_minutes, limit_minutes) -> int:
    """Whole minutes over the limit (a restore of 150 min against 120 is 30 min late)."""
    over = Decimal(str(restore_minutes)) - Decimal(limit_minutes)
    return int(over.to_integral_value(rounding=ROUND_HALF_UP)) if over > 0 else 0


def sanction(delay_minutes, per_minute) -> Decimal:
    return (Decimal(sum(delay_minutes)) * Decimal(per_minute)).quantize(Decimal("0.01"))


def overall_score(weighted_scores, sanction_points) -> Decimal:
    """weighted_scores: [(weight %, score 0..100)]."""
    total = sum((Decimal(w) * Decimal(s) / HUNDRED for w, s in weighted_scores), Decimal(0))
    return max(Decimal(0), min(HUNDRED, total - Decimal(sanction_points))).quantize(Decimal("0.01"))


def penalty_percent(score, bands=DEFAULT_PENALTY_BANDS) -> Decimal:
    for lowest, penalty in check_bands(bands):
        if Decimal(score) >= lowest:
            return min(penalty, MAX_PENALTY_PERCENT)
    return MAX_PENALTY_PERCENT


def penalty_amount(monthly_amount, percent, *, waived=False) -> Decimal:
    if waived:
        return Decimal(0)
    return (Decimal(monthly_amount) * Decimal(percent) / HUNDRED).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    kind: str
    weight: Decimal
    target: Decimal
    minimum: Decimal
    value: Decimal | None
    score: Decimal | None  # None for the restore sanction
    below_minimum: bool
