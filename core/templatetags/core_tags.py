import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import get_language, gettext

from accounts import roles
from core import navigation
from core.form_renderer import input_html, select_html
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


FORMATS = {"full": "Y-m-d H:i", "date": "Y-m-d", "seconds": "Y-m-d H:i:s"}


def _numeric(value, form):
    """`date_format(value, FORMATS[form])` ("month": "m-d H:i") written out: the formats are all
    digits, the same in every language, and Django's formatter was a third of a queue row's CPU
    time (issue 12, third round)."""
    day = f"{value.month:02d}-{value.day:02d}"
    if form == "month":
        return f"{day} {value.hour:02d}:{value.minute:02d}"
    day = f"{value.year:04d}-{day}"
    if form == "date":
        return day
    if form == "seconds":
        return f"{day} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return f"{day} {value.hour:02d}:{value.minute:02d}"


def _relative_words(value, now):
    if value <= now:
        return gettext("%(time)s ago") % {"time": timesince(value, now, depth=1)}
    return gettext("in %(time)s") % {"time": timeuntil(value, now, depth=1)}


# timesince's words at depth 1 are its first unit (years, months, weeks, days, hours, minutes) and
# that unit's count, in the language, ago or ahead: kept per process under those, worked out by
# timesince itself the first time (a few hundred of them at most). _first_unit finds the unit by
# timesince's own rule. timesince for every date on a queue page was ~6 % of its CPU (issue 12,
# sixth round).
_CHUNKS = (("week", 7 * 24 * 60 * 60), ("day", 24 * 60 * 60), ("hour", 60 * 60), ("minute", 60))
_RELATIVE: dict = {}  # (language, past, unit, count) -> escaped words


def _first_unit(earlier, later):
    """(unit, count): the first non-zero part timesince(earlier, later) counts ("minute", 0 if none).
    Its calendar months first (a month is whole when the day and time of day are reached again),
    then the span in weeks, days, hours and minutes."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if earlier.day > later.day or (earlier.day == later.day and earlier.time() > later.time()):
        months -= 1
    if months >= 12:
        return "year", months // 12
    if months > 0:
        return "month", months
    span = (later - earlier).total_seconds()
    for unit, size in _CHUNKS:
        if span >= size:
            return unit, int(span // size)
    return "minute", 0


def _relative(value, now, language=None):
    """The escaped words for how long ago (or how far ahead) `value` is from `now` (both in one
    time zone, as `when` gives them), in `language` (the current one if None)."""
    past = value <= now
    key = (language or get_language(), past, *(_first_unit(value, now) if past else _first_unit(now, value)))
    words = _RELATIVE.get(key)
    if words is None:
        words = _RELATIVE[key] = conditional_escape(_relative_words(value, now))
    return words


@register.filter(is_safe=True)
def when(value, form="full"):
    """`{{ incident.created_at|when }}` → `<time datetime="…" title="3 hours ago">2026-12-02 14:05</time>`.

    The one date rule of every desk and portal page:
      - a date-time a person reads is absolute, in the current (the user's) time zone,
        "2026-12-02 14:05" (`form` "full", the default);
      - lists and other tight places may use the short form, "12-02 14:05" in the current year,
        else "2025-12-02" (`form` "short");
      - a plain date, or a date-time whose time of day does not matter, is "2026-12-02" ("date");
      - an audit trail that orders events seconds apart (an SLA clock's steps) may show seconds,
        "2026-12-02 14:05:09" ("seconds");
      - how long ago (or how far ahead) it is goes into the title, shown on hover ("3 hours ago",
        "in 2 days", "today"), in the user's language; the ISO instant is in `datetime`.
    Date pickers (form inputs) keep their own ISO values. An empty value renders nothing, so
    `|default:"—"` can follow.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return local_when(value, form, timezone.localtime())
        now = datetime.datetime.now()
        if form == "short":
            form = "month" if value.year == now.year else "date"
        shown = _numeric(value, form)
    elif isinstance(value, datetime.date):
        now = timezone.localdate()
        shown = date_format(value, FORMATS["date"])
        if value == now:
            relative = gettext("today")
        else:
            relative = _relative_words(value, now)
        return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), relative, shown)
    else:
        return value
    # format_html's markup without its per-argument escaping: the instant and the shown form are
    # digits and separators, the words are escaped by _relative.
    return mark_safe(f'<time datetime="{value.isoformat()}" title="{_relative(value, now)}">{shown}</time>')


def local_when(value, form, now, language=None):
    """`when(value, form)` of an aware date-time, with `now` the current time in the current time
    zone (timezone.localtime()): a list writing two dates a row takes it once for the page rather
    than twice a row (issue 12, eighth round). So may `language`, the current language
    (get_language() per date was ~1,800 Python lines a queue page; issue 12, ninth round)."""
    value = value.astimezone(now.tzinfo)
    if form == "short":
        form = "month" if value.year == now.year else "date"
    # format_html's markup without its per-argument escaping: the instant and the shown form are
    # digits and separators, the words are escaped by _relative.
    return SafeString(f'<time datetime="{value.isoformat()}" title="{_relative(value, now, language)}">'
                      f"{_numeric(value, form)}</time>")


@register.filter
def action_label(ticket, target):
    """`{{ incident|action_label:"in_progress" }}`: the workflow's name for moving there from here ("Resume")."""
    return ticket.lifecycle.action_label(ticket.state, target)


@register.filter
def is_desk(user):
    """Whether the user is service desk staff (who tell work notes from public comments apart)."""
    return roles.is_agent(user)


@register.simple_tag(takes_context=True)
def panels(context, slot, obj):
    """Render what upper apps registered for `slot` (core.panels), each with its own context."""
    from django.template.loader import render_to_string

    from core.panels import panels_for

    request = context.get("request")
    return mark_safe("".join(render_to_string(template, ctx, request=request)
                             for template, ctx in panels_for(slot, request, obj)))


@register.simple_tag
def has_panels(slot):
    from core.panels import registered

    return bool(registered(slot))


@register.simple_tag(takes_context=True)
def desk_menu(context):
    """The desk's main row and dropdown groups for this user and page (core.navigation)."""
    request = context["request"]
    return navigation.menu_for(request.user, request.resolver_match)


_REQUIRED_MARK = ' <span class="text-danger" aria-hidden="true">*</span>'


@register.simple_tag
def form_field(field):
    """`{% form_field form.title %}`: what `{% include "includes/field.html" with field=form.title %}`
    renders, character for character, without a template include per field.

    A record page shows about twenty fields; each include (a context push, the template's
    nodes, its `with`) cost more than the widget itself (issue 12, third round). The template
    stays the one source of the markup: a test holds both equal for every kind of widget.
    """
    if field.is_hidden:
        return mark_safe(f"{field}\n")
    # A plain select is written from its choices (core.form_renderer.select_html), the same markup.
    html = select_html(field) or input_html(field)
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    multiple = getattr(widget, "allow_multiple_selected", False)
    label = conditional_escape(field.label)
    required = _REQUIRED_MARK if field.field.required else ""
    if input_type == "checkbox" and not multiple:
        out = ['\n\n<div class="mb-3 form-check">\n  \n    ', str(field),
               f' <label class="form-check-label" for="{conditional_escape(field.id_for_label)}">{label}</label>\n  ']
    elif multiple and input_type == "checkbox" or input_type == "radio":
        out = [f'\n\n<div class="mb-3">\n  \n    <fieldset>\n      <legend class="form-label fs-6">{label}{required}'
               '</legend>\n      <div class="choice-list">', html or str(field), "</div>\n    </fieldset>\n  "]
    else:
        out = [f'\n\n<div class="mb-3">\n  \n    <label class="form-label" for="{conditional_escape(field.id_for_label)}">'
               f"{label}{required}</label>\n    ", html or str(field), "\n  "]
    out.append("\n  ")
    if field.help_text:
        out.append(f'<div class="form-text">{conditional_escape(field.help_text)}</div>')
    out.append("\n  ")
    out.extend(f'<div class="invalid-feedback d-block">{conditional_escape(error)}</div>' for error in field.errors)
    out.append("\n</div>\n\n\n")
    return mark_safe("".join(out))
