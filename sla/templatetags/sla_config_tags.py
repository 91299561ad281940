from django import template
from django.utils.text import capfirst

from sla import configuration

register = template.Library()


@register.filter
def weekdays_text(weekdays):
    return configuration.days_text(weekdays)


@register.filter
def target_text(minutes):
    return configuration.target_text(minutes)


@register.filter
def ticket_type_label(content_type):
    """"Incident" for the content type an agreement applies to (its model's verbose name)."""
    model = content_type.model_class() if content_type else None
    return capfirst(model._meta.verbose_name) if model else (content_type.model if content_type else "—")
