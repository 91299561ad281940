from django import template

from suppliers.alignment import hours_text
from suppliers.choices import DISPUTE_BADGES, KIND_BADGES

register = template.Library()


@register.filter
def kind_badge(kind):
    return KIND_BADGES.get(kind, "secondary")


@register.filter
def dispute_badge(state):
    return DISPUTE_BADGES.get(state, "secondary")


@register.filter
def minutes_text(minutes):
    """240 → '4 h'; None → '—'."""
    return "—" if minutes in (None, "") else hours_text(minutes)
