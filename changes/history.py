"""How a change's own audit rows read on its timeline (registered in ChangesConfig.ready)."""

from django.utils.translation import gettext as _, gettext_lazy

from changes.choices import Decision
from changes.models import Change
from changes.risk import QUESTIONS, describe_reason
from core import history


def approval_text(raw, entry):
    """"Approved by Kim (stage Change manager)"; the round once there was more than one."""
    who = str(entry.actor) if entry.actor_id else _("System")
    text = (_("Approved by %(who)s") if raw == Decision.APPROVE else _("Rejected by %(who)s")) % {"who": who}
    stage = (entry.context or {}).get("stage")
    if stage:
        text += " " + _("(stage %(stage)s)") % {"stage": stage}
    round_ = (entry.context or {}).get("round")
    if round_ and round_ > 1:
        text += " · " + _("round %(round)s") % {"round": round_}
    return text


def risk_answers_text(raw, entry):
    """One "question: answer" line per question answered."""
    if not isinstance(raw, dict):
        return history.plain(raw)
    questions = {q.key: q.text for q in QUESTIONS}
    lines = [f"{questions.get(key, history.humanise(key))} {history.yes_no(value)}" for key, value in raw.items()]
    return "\n".join(lines) or history.EMPTY


def risk_factors_text(factors, entry):
    if not factors:
        return _("Risk assessment: no risk factors")
    return _("Risk assessment:") + "\n" + "\n".join(describe_reason(*factor) for factor in factors)


def register():
    history.register("approval", model=Change, label=gettext_lazy("approval"), display=approval_text,
                     sentence=True)
    history.register("pir", model=Change, label=gettext_lazy("post-implementation review"),
                     display=lambda raw, entry: str(raw), sentence=True)
    history.register("risk_answers", model=Change, label=gettext_lazy("risk questionnaire"),
                     display=risk_answers_text)
    history.register_context("risk_factors", risk_factors_text)
