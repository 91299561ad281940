from django import template

from sla import configuration

register = template.Library()


@register.filter
def weekdays_text(weekdays):
    return configuration.days_text(weekdays)


@register.filter
def target_text(minutes):
    return configuration.target_text(minutes)
