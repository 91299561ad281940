"""Which tickets an agreement applies to: validating and matching `applies_to` conditions,
pause states and warning thresholds. Generic over ticket models: conditions name ticket
fields, and a ticket type without the field cannot be given that condition."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from core.tickets import Lifecycle, pause_reason

# condition key → ticket field it tests (organisations go through the requester).
CONDITION_FIELDS = {
    "priorities": "priority",
    "services": "service",
    "categories": "category",
    "organisations": None,
    "assignment_groups": "assignment_group",
    "suppliers": "supplier",
}
# Fields whose change can make a definition start or stop applying.
MATCH_FIELDS = frozenset({"priority", "service", "category", "assignment_group", "supplier", "caller"})


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def validate_applies_to(model, applies_to) -> dict:
    """Check conditions against the ticket model; refuse any that could never match."""
    if applies_to in (None, ""):
        return {}
    if not isinstance(applies_to, dict):
        raise ValidationError({"applies_to": _("Conditions must be an object, e.g. {\"priorities\": [1, 2]}.")})
    errors = []
    cleaned = {}
    for key, values in applies_to.items():
        if key not in CONDITION_FIELDS:
            errors.append(_("Unknown condition %(key)s; use %(allowed)s.") % {
                "key": key, "allowed": ", ".join(CONDITION_FIELDS)})
            continue
        if not isinstance(values, list) or not values:
            errors.append(_("%(key)s must be a non-empty list.") % {"key": key})
            continue
        if model is None:
            cleaned[key] = values
            continue
        if key == "organisations":
            requester = getattr(model, "REQUESTER_FIELD", None)
            if not requester:
                errors.append(_("%(type)s has no requester, so no organisation.") % {"type": model._meta.verbose_name})
                continue
            from accounts.models import Organisation

            related = Organisation
        else:
            field = _model_field(model, CONDITION_FIELDS[key])
            if field is None:
                errors.append(_("%(type)s has no %(field)s, so %(key)s cannot match.") % {
                    "type": model._meta.verbose_name, "field": CONDITION_FIELDS[key], "key": key})
                continue
            related = field.related_model if field.is_relation else None
            if related is None:
                choices = [c[0] for c in (field.choices or [])]
                bad = [v for v in values if (choices and v not in choices) or isinstance(v, bool)
                       or not isinstance(v, (int, str))]
                if key == "priorities":
                    bad = [v for v in values if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5]
                if bad:
                    errors.append(_("%(key)s: %(values)s can never match (allowed: %(allowed)s).") % {
                        "key": key, "values": ", ".join(map(str, bad)),
                        "allowed": ", ".join(map(str, choices or range(1, 6)))})
                    continue
                cleaned[key] = values
                continue
        ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if len(ids) != len(values):
            errors.append(_("%(key)s must list record ids.") % {"key": key})
            continue
        found = set(related._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        missing = sorted(set(ids) - found)
        if missing:
            errors.append(_("%(key)s: no record with id %(ids)s.") % {"key": key, "ids": ", ".join(map(str, missing))})
            continue
        cleaned[key] = sorted(set(ids))
    if errors:
        raise ValidationError({"applies_to": errors})
    return cleaned


def validate_pause_states(model, pause_states) -> list:
    if pause_states in (None, ""):
        return []
    if not isinstance(pause_states, list) or not all(isinstance(s, str) and s for s in pause_states):
        raise ValidationError({"pause_states": _("Pause states must be a list like [\"on_hold:awaiting_caller\"].")})
    state_field = _model_field(model, "state") if model is not None else None
    lifecycle = getattr(model, "lifecycle", None)
    reason_name = lifecycle.pause_reason_field if isinstance(lifecycle, Lifecycle) else ""
    reason_field = _model_field(model, reason_name) if reason_name else None
    states = [c[0] for c in (state_field.choices or [])] if state_field is not None else None
    reasons = [c[0] for c in (reason_field.choices or [])] if reason_field is not None else []
    errors = []
    for entry in pause_states:
        state, _sep, reason = entry.partition(":")
        if states is not None and state not in states:
            errors.append(_("%(state)s is not a state (use %(allowed)s).") % {"state": state, "allowed": ", ".join(states)})
        elif reason and reason not in reasons:
            errors.append(_("%(reason)s is not an on-hold reason (use %(allowed)s).") % {
                "reason": reason, "allowed": ", ".join(reasons) or "—"})
    if errors:
        raise ValidationError({"pause_states": errors})
    return list(dict.fromkeys(pause_states))


def validate_thresholds(thresholds) -> list:
    if thresholds in (None, ""):
        return []
    if not isinstance(thresholds, list) or not all(
            isinstance(t, int) and not isinstance(t, bool) and 0 < t < 100 for t in thresholds):
        raise ValidationError({"warning_thresholds": _(
            "Warning thresholds are whole percentages between 1 and 99, e.g. [50, 75, 90].")})
    return sorted(set(thresholds))


def validate_definition_fields(definition):
    """Model.clean() of SLADefinition: shared by the admin, the API and services."""
    model = definition.ticket_type.model_class() if definition.ticket_type_id else None
    if definition.ticket_type_id and model is None:
        raise ValidationError({"ticket_type": _("That ticket type no longer exists.")})
    if model is not None and _model_field(model, "state") is None:
        raise ValidationError({"ticket_type": _("%(type)s is not a ticket type.") % {"type": model._meta.verbose_name}})
    definition.applies_to = validate_applies_to(model, definition.applies_to)
    definition.pause_states = validate_pause_states(model, definition.pause_states)
    definition.warning_thresholds = validate_thresholds(definition.warning_thresholds)
    if definition.agreement == "ola" and definition.applies_to and "assignment_groups" not in definition.applies_to:
        pass  # an OLA usually names its groups, but one for every group is legitimate


# --- matching (no queries beyond the ticket's own loaded relations) ---------------------------
def ticket_value(ticket, key):
    if key == "organisations":
        requester_field = getattr(type(ticket), "REQUESTER_FIELD", None)
        requester = getattr(ticket, requester_field, None) if requester_field else None
        return getattr(requester, "organisation_id", None)
    name = CONDITION_FIELDS[key]
    field = _model_field(type(ticket), name)
    if field is None:
        return None
    return getattr(ticket, field.attname)


def matches(applies_to, ticket) -> bool:
    for key, values in (applies_to or {}).items():
        if ticket_value(ticket, key) not in values:
            return False
    return True


def pause_matches(pause_states, ticket) -> bool:
    state = getattr(ticket, "state", None)
    reason = pause_reason(ticket)
    for entry in pause_states or ():
        want_state, _sep, want_reason = entry.partition(":")
        if state == want_state and (not want_reason or reason == want_reason):
            return True
    return False
