from django import template

from incidents.choices import PRIORITY_BADGES, STATE_BADGES

register = template.Library()


@register.filter
def state_badge(state):
    return STATE_BADGES.get(state, "secondary")


@register.filter
def priority_badge(priority):
    return PRIORITY_BADGES.get(priority, "secondary")
