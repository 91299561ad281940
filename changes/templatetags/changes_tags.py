from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def iso_local(value):
    """An ISO 8601 instant stored in JSON (conflicts) as an aware datetime for the date filter."""
    from datetime import datetime

    from django.utils import timezone

    try:
        return timezone.localtime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return value
