from django import template
from django.template.defaultfilters import timesince_filter, timeuntil_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

from sla.choices import BADGE_CLASS
from sla.models import SLAClock
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


# The clocks' kind and state labels (lazy: translated when shown). get_FOO_display() builds a dict
# of every choice, hashing each lazy label (a translation each), on every call.
_KINDS = dict(SLAClock._meta.get_field("kind").flatchoices)
_STATES = dict(SLAClock._meta.get_field("state").flatchoices)
_WORDS: dict = {}  # language -> the badges' fixed words, escaped


def _words():
    language = get_language()
    words = _WORDS.get(language)
    if words is None:
        e = conditional_escape
        words = _WORDS[language] = {
            "due": e(gettext("due")), "response": e(gettext("Response")), "resolution": e(gettext("Resolution")),
            "met": e(gettext("met")), "cancelled": e(gettext("cancelled")), "paused": e(gettext("paused")),
            "why": e(gettext("Why this breached")), "breached": e(gettext("breached")),
            "none": e(gettext("No SLA")),
            "overdue": pgettext("countdown past due", "%(time)s overdue"),
        }
    return words


def _display(labels, value):
    return labels.get(value, value)


def _badge(clock, words):
    e = conditional_escape
    status = badge_status(clock)
    state = e(_display(_STATES, clock.state))
    title = f"{e(clock.definition.name)} · {e(_display(_KINDS, clock.kind))} · {state}"
    due = clock.due_at
    if due:
        local = timezone.localtime(due) if timezone.is_aware(due) else due
        title += (f" · {words['due']} {local.year:04d}-{local.month:02d}-{local.day:02d} "
                  f"{local.hour:02d}:{local.minute:02d}")
    if status in ("met", "cancelled", "paused"):
        shown = f"{words[status]}\n  "
    elif status == "breached" and clock.breached_at:
        url = e(reverse("sla:clock_detail", args=[clock.pk]))
        shown = f'<a class="link-danger" href="{url}" title="{words["why"]}">{words["breached"]}</a>\n  '
    elif due:
        # Due and passed, not yet marked by the sweep: the time since, not a countdown below zero.
        left = words["overdue"] % {"time": timesince_filter(due)} if status == "breached" else timeuntil_filter(due)
        shown = f'<span data-due="{e(due.isoformat())}">{e(left)}</span>\n  '
    else:
        shown = state
    kind = words["response"] if clock.kind == "response" else words["resolution"]
    return (f'\n<span class="badge {BADGE_CLASS[status]} me-1" title="{title}">\n  {kind}:\n  {shown}\n'
            "</span>\n")


@register.simple_tag
def sla_badges(clocks):
    """`{% sla_badges clocks %}`: what `{% include "sla/partials/_badges.html" with clocks=clocks %}`
    renders, character for character, written in Python: the include's two dozen nodes per clock
    were resolved by the engine on every record page (issue 12, seventh round). The template stays
    (the lists' rows render it); sla/tests/test_badges_markup.py holds both equal."""
    words = _words()
    body = "".join(_badge(clock, words) for clock in clocks) if clocks else \
        f'<span class="text-body-secondary small">{words["none"]}</span>\n'
    return mark_safe(f"\n{body}\n")
