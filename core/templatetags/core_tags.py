from django import template

from core.choices import Channel

register = template.Library()


@register.filter
def channel_label(value):
    """The translated name of a channel stored as its raw value ("web" → "Agent desk")."""
    try:
        return Channel(value).label
    except ValueError:
        return value
