"""Risk assessment of a change: questionnaire answers, the criticality of the affected CIs
and the size of their downstream impact → low, moderate or high.

Pure: the service fetches the criticalities and the impact size from the CMDB and passes
them in; the weights live here, beside the questions, so a reviewer sees the whole rule.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from changes.choices import Risk


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    # Points added when the answer is the risky one (True for "yes" questions, False otherwise).
    points: int
    risky_answer: bool = True


QUESTIONS = (
    Question("outage_required", _("Does the change need a service outage?"), 3),
    Question("first_time", _("Is this kind of change being done for the first time?"), 2),
    Question("tested", _("Was the change tested in a non-production environment?"), 2, risky_answer=False),
    Question("backout_tested", _("Has the backout plan been tested?"), 2, risky_answer=False),
    Question("customer_facing", _("Will customers notice the change?"), 1),
)
QUESTION_KEYS = frozenset(q.key for q in QUESTIONS)

# Points for the most critical affected CI (criticality 1 is the highest).
CRITICALITY_POINTS = {1: 4, 2: 2, 3: 1, 4: 0}
# Points for the number of CIs downstream of the affected ones: (at least this many, points).
IMPACT_POINTS = ((200, 4), (50, 3), (10, 2), (1, 1))
# Score thresholds: at or above HIGH_AT is high, at or above MODERATE_AT moderate.
MODERATE_AT = 4
HIGH_AT = 9


@dataclass(frozen=True)
class RiskAssessment:
    level: str
    score: int
    # [kind, detail, points]: kind is a question key, "criticality", "impact" or "services";
    # raw, so the audit trail keeps them and describe_reason words them in the reader's language.
    reasons: list = field(default_factory=list)


def validate_answers(answers):
    """Answers must be a mapping of known question keys to booleans; returns the clean dict."""
    if not isinstance(answers, dict):
        raise ValueError(_("Answers must be an object of question → yes/no."))
    unknown = set(answers) - QUESTION_KEYS
    if unknown:
        raise ValueError(_("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    clean = {}
    for key, value in answers.items():
        if not isinstance(value, bool):
            raise ValueError(_("The answer to %(key)s must be true or false.") % {"key": key})
        clean[key] = value
    return clean


def assess(answers, *, criticalities=(), impact_size=0, business_services=0):
    """Score a change. Unanswered questions count as the risky answer (assume the worst).

    `criticalities` are the affected CIs' criticality values (1..4), `impact_size` the number
    of distinct CIs downstream of them, `business_services` how many business services that
    impact reaches.
    """
    score = 0
    reasons = []
    for question in QUESTIONS:
        answer = answers.get(question.key)
        if answer is None or answer == question.risky_answer:
            score += question.points
            reasons.append([question.key, answer, question.points])
    criticalities = [c for c in criticalities if c is not None]
    if criticalities:
        top = min(criticalities)
        points = CRITICALITY_POINTS.get(top, 0)
        if points:
            score += points
            reasons.append(["criticality", top, points])
    for threshold, points in IMPACT_POINTS:
        if impact_size >= threshold:
            score += points
            reasons.append(["impact", impact_size, points])
            break
    if business_services > 1:
        score += 1
        reasons.append(["services", business_services, 1])
    if score >= HIGH_AT:
        level = Risk.HIGH
    elif score >= MODERATE_AT:
        level = Risk.MODERATE
    else:
        level = Risk.LOW
    return RiskAssessment(level=level, score=score, reasons=reasons)


def describe_reason(kind, detail, points) -> str:
    """One risk factor in words: "Has the backout plan been tested? No: +2"."""
    from django.utils.translation import gettext, ngettext

    questions = {q.key: q for q in QUESTIONS}
    if kind in questions:
        if detail is None:
            answer = gettext("not answered")
        else:
            answer = gettext("Yes") if detail else gettext("No")
        text = f"{questions[kind].text} {answer}"
    elif kind == "criticality":
        text = gettext("Most critical affected CI: criticality %(value)s") % {"value": detail}
    elif kind == "impact":
        text = ngettext("%(count)s CI downstream", "%(count)s CIs downstream", detail) % {"count": detail}
    elif kind == "services":
        text = ngettext("%(count)s business service affected", "%(count)s business services affected",
                        detail) % {"count": detail}
    else:
        text = str(kind)
    return f"{text}: +{points}"
