"""How the SLA engine's rows read on any ticket's timeline (registered in SLAConfig.ready)."""

import re

from django.utils.translation import gettext as _, gettext_lazy, ngettext

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
    return business_minutes(raw)


def business_minutes(count):
    """"1 business minute", "90 business minutes": every SLA text that counts minutes says it so."""
    try:
        number = int(count)
    except (TypeError, ValueError):
        number = 0
    return ngettext("%(minutes)s business minute", "%(minutes)s business minutes", number) % {"minutes": count}


def minutes(count):
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", int(count)) % {"minutes": count}


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


def _fields_text(model, names):
    return ", ".join(history.label(model, name.strip()) for name in names.split(",") if name.strip())


def _priority_text(model, value):
    return history.display(model, _Row("priority"), int(value), {}) if str(value).isdigit() else str(value)


class _Row:
    """Stands in for an audit row when wording a raw value of a ticket field."""

    def __init__(self, field):
        self.field = field


def reason_text(reason, model) -> str:
    """The engine's reasons ("now applies: priority", "ticket resolved", "awaiting_caller:…",
    "priority 3 → 2 (restart)") in words, with the ticket's field and state labels."""
    reason = str(reason or "")
    if model is None or not reason:
        return reason
    patterns = [
        (r"now applies: (.*)", lambda m: _("Now applies (changed: %(fields)s)") % {
            "fields": _fields_text(model, m[1])}),
        (r"no longer applies: (.*)", lambda m: _("No longer applies (changed: %(fields)s)") % {
            "fields": _fields_text(model, m[1])}),
        (r"priority (\S+) → (\S+) \(restart\)", lambda m: _("Priority %(old)s → %(new)s: restarted") % {
            "old": _priority_text(model, m[1]), "new": _priority_text(model, m[2])}),
        (r"no target for priority (\S+)", lambda m: _("No target for priority %(priority)s") % {
            "priority": _priority_text(model, m[1])}),
        (r"ticket (\w+)", lambda m: _("Ticket %(state)s") % {
            "state": history.display(model, _Row("state"), m[1], {})}),
        (r"(\w+) → (\w+)", lambda m: "%s → %s" % (history.display(model, _Row("state"), m[1], {}),
                                                  history.display(model, _Row("state"), m[2], {}))),
        (r"(\w+):(\w+)", lambda m: "%s: %s" % (history.display(model, _Row("state"), m[1], {}),
                                               history.display(model, _Row("on_hold_reason"), m[2], {}))),
        (r"priority change \(restart\)", lambda m: _("Priority changed: restarted")),
        (r"reopened \(restart\)", lambda m: _("Reopened: restarted")),
        (r"responded", lambda m: _("Responded")),
        (r"created", lambda m: _("Created")),
        (r"(\w+)", lambda m: history.display(model, _Row("state"), m[1], {})),
    ]
    for pattern, word in patterns:
        match = re.fullmatch(pattern, reason)
        if match:
            return word(match)
    return reason


def clock_body(entry, model):
    return reason_text((entry.context or {}).get("reason", ""), model)


def register():
    history.register("sla", label=gettext_lazy("SLA"), display=clock_text, sentence=True, body=clock_body)
    history.register("sla_target", label=gettext_lazy("SLA target"), display=minutes_text)
    for kind in ClockKind.values:
        for what in ("warning", "breach"):
            history.register(f"sla_{kind}_{what}", label=_threshold_label(kind, what), display=threshold_text,
                             sentence=True)
    for action in EscalationAction:
        history.register(action.value, label=action.label, display=escalation_text, sentence=True)
