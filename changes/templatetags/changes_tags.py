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
