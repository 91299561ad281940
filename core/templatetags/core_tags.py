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


@register.filter
def badge(record, field):
    """The Bootstrap colour of a record's choice field: `{{ incident|badge:"state" }}` → "info".

    The colours are declared beside the choices (each app's BADGE_COLOURS) and named by the
    model's `badge_colours`, so every ticket type's badges come from this one filter.
    """
    colours = getattr(record, "badge_colours", {}).get(field, {})
    return colours.get(getattr(record, field, None), "secondary")
