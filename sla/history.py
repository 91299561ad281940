"""How the SLA engine's rows read on any ticket's timeline (registered in SLAConfig.ready)."""

from django.utils.translation import gettext as _, gettext_lazy

from core import history
from sla.choices import ClockKind, EscalationAction

STATES = {"started": gettext_lazy("Started"), "cancelled": gettext_lazy("Cancelled")}


def _definition(entry):
    return (entry.context or {}).get("definition") or ""


def clock_text(raw, entry):
    """"Started: Standard incident SLA"."""
    state = str(STATES.get(raw, history.humanise(raw)))
    return f"{state}: {_definition(entry)}" if _definition(entry) else state


def minutes_text(raw, entry):
    return _("%(minutes)s business minutes") % {"minutes": raw}


def threshold_text(raw, entry):
    text = _("%(percent)s%% of the target") % {"percent": raw}
    return f"{text} ({_definition(entry)})" if _definition(entry) else text


def escalation_text(raw, entry):
    if isinstance(raw, int) and not isinstance(raw, bool):
        return threshold_text(raw, entry)
    return history.plain(raw)


def _threshold_label(kind, what):
    """A label read in the viewer's language: "SLA warning · Response"."""
    labels = {"warning": gettext_lazy("SLA warning"), "breach": gettext_lazy("SLA breached")}
    return lambda _rest: f"{labels[what]} · {ClockKind(kind).label}"


def register():
    history.register("sla", label=gettext_lazy("SLA"), display=clock_text, sentence=True)
    history.register("sla_target", label=gettext_lazy("SLA target"), display=minutes_text)
    for kind in ClockKind.values:
        for what in ("warning", "breach"):
            history.register(f"sla_{kind}_{what}", label=_threshold_label(kind, what), display=threshold_text,
                             sentence=True)
    for action in EscalationAction:
        history.register(action.value, label=action.label, display=escalation_text, sentence=True)
