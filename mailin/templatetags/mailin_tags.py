from django import template

from mailin.choices import STATE_BADGES

register = template.Library()


@register.filter
def state_badge(state):
    """The Bootstrap colour of a received message's state."""
    return STATE_BADGES.get(state, "secondary")
