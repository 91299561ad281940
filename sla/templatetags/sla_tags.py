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
