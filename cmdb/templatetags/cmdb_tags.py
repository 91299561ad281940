from django import template

from cmdb.choices import CRITICALITY_BADGES, ENVIRONMENT_BADGES, STATUS_BADGES

register = template.Library()


@register.filter
def status_badge(value):
    return STATUS_BADGES.get(value, "secondary")


@register.filter
def environment_badge(value):
    return ENVIRONMENT_BADGES.get(value, "secondary")


@register.filter
def criticality_badge(value):
    return CRITICALITY_BADGES.get(value, "secondary")


@register.filter
def is_list(value):
    return isinstance(value, (list, tuple))


@register.filter
def is_dict(value):
    return isinstance(value, dict)
