from django import template

from sla.choices import BADGE_CLASS
from sla.selectors import badge_status

register = template.Library()


@register.filter
def sla_status(clock):
    return badge_status(clock)


@register.filter
def sla_badge_class(clock):
    return BADGE_CLASS[badge_status(clock)]


@register.inclusion_tag("sla/partials/_clock_timeline.html")
def sla_clock_timeline(clock):
    """`{% sla_clock_timeline clock %}` on a ticket page: why this clock breached (or not)."""
    from sla.engine import explain

    return {"explanation": explain(clock), "clock": clock}


@register.filter
def sla_reason(reason, clock):
    """An engine reason ("ticket resolved", "on_hold:awaiting_caller") in words for `clock`'s ticket."""
    from sla.history import reason_text

    return reason_text(reason, clock.content_type.model_class() if clock else None)
