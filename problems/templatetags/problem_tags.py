from django import template
from django.utils.html import format_html

from problems.choices import STATE_BADGES, ProblemState

register = template.Library()


@register.simple_tag
def problem_state_badge(problem):
    colour = STATE_BADGES.get(problem.state, "secondary")
    text = "text-bg-" + colour
    return format_html('<span class="badge {}" data-state="{}">{}</span>', text, problem.state,
                       problem.get_state_display())


@register.filter
def state_label(value):
    try:
        return ProblemState(value).label
    except ValueError:
        return value
