from django import template

from changes.choices import RISK_BADGES, STATE_BADGES, TYPE_BADGES

register = template.Library()


@register.filter
def change_state_badge(state):
    return STATE_BADGES.get(state, "secondary")


@register.filter
def risk_badge(risk):
    return RISK_BADGES.get(risk, "light")


@register.filter
def change_type_badge(change_type):
    return TYPE_BADGES.get(change_type, "secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def iso_local(value):
    """An ISO 8601 instant stored in JSON (conflicts) as an aware datetime for the date filter."""
    from datetime import datetime

    from django.utils import timezone

    try:
        return timezone.localtime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return value
