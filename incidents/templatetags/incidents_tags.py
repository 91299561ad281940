import unicodedata

from django import forms, template
from django.template.base import render_value_in_context
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core import memo
from core.form_renderer import kept_static_options
from core.templatetags.core_tags import badge, local_when, when
from core.web import url_for_rows
from incidents.models import Incident
from sla.api.serializers import LISTED_CLOCKS
from sla.templatetags.sla_tags import sla_badges

# get_state_display() builds a dict of every choice on each call; the labels stay lazy (translated
# when shown).
_STATE_LABELS = dict(Incident._meta.get_field("state").flatchoices)

register = template.Library()


def escape(value):
    """django.utils.html.conditional_escape's text (html.escape's five replacements, in its order)
    without its lazy-argument wrapper and html.escape's own call: a queue page escapes ~600 values
    (issue 12, ninth round)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#x27;"))


@register.simple_tag
def fast_select(bound):
    """Render a (multiple) select of a bound field without a template per option.

    The queue page renders nine selects with about a hundred options on every request; Django's
    per-option widget templates were a third of the page's CPU time.
    """
    field = bound.field
    multiple = isinstance(field.widget, forms.SelectMultiple)
    value = bound.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    selected = {str(v) for v in values if v not in (None, "")}
    kept = _kept_options(field)
    if kept is None:
        kept = _static_options(field)
    if kept is not None:
        options = [f"{head} selected{tail}" if key in selected else head + tail for key, head, tail in kept]
    else:
        options = []
        for key, label in field.choices:
            key = "" if key is None else str(getattr(key, "value", key))
            options.append(format_html('<option value="{}"{}>{}</option>', key,
                                       mark_safe(" selected") if key in selected else "", label))
    return SafeString(f'<select name="{escape(bound.html_name)}" id="{escape(bound.auto_id)}" '
                      f'class="form-select"{" multiple" if multiple else ""}>{"".join(options)}</select>')


def _option_parts(field):
    parts = []
    for key, label in field.choices:
        key = "" if key is None else str(getattr(key, "value", key))
        parts.append((key, f'<option value="{conditional_escape(key)}"',
                      f">{conditional_escape(label)}</option>"))
    return parts


def _kept_options(field):
    """[(value, markup before " selected", markup after)] of a kept list's options (a field given
    its rows by core.choices_memo), written once per process, list, language and empty label
    under the lists' generation, as the rows are: escaping each of the queue page's ~150 options
    per request was two thirds of its selects' time (issue 12, eighth round). None for another
    field (its options are written per request)."""
    name = getattr(field, "memo_choices_name", None)
    if name is None or "label_from_instance" in vars(field) or hasattr(field, "_choices"):
        return None
    key = (f"incidents.fast_select:{name}:{type(field).__module__}.{type(field).__qualname__}:"
           f"{get_language()}:{getattr(field, 'empty_label', None)}:{getattr(field, 'null_label', None)}")
    return memo.memoised(key, lambda: _option_parts(field), key=memo.REFERENCE)


def _static_options(field):
    """_option_parts of a fixed list (state, priority, channel: the queue page's), kept by
    core.form_renderer.kept_static_options; None for a model's rows or any other label."""
    if hasattr(field, "queryset"):
        return None  # a model's rows: kept by core.choices_memo if at all (_kept_options)
    return kept_static_options(field.choices, _option_parts, field)


@register.simple_tag
def select_field(bound):
    """What `{% include "incidents/partials/_select_field.html" with field=… %}` renders, without the
    include (ten of them on every queue page; issue 12, third round; a test holds both equal)."""
    errors = "".join(f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in bound.errors)
    return SafeString(f'<div class="mb-3">\n  <label class="form-label" for="{escape(bound.auto_id)}">'
                      f'{escape(bound.label)}</label>\n  {fast_select(bound)}\n  {errors}\n</div>\n')


_STATE_TEXT: dict = {}  # language -> {state: its label, escaped}


def _state_texts(language):
    texts = _STATE_TEXT.get(language)
    if texts is None:
        texts = _STATE_TEXT[language] = {state: escape(label) for state, label in _STATE_LABELS.items()}
    return texts


def _state_text(texts, state):
    text = texts.get(state)
    return escape(state) if text is None else text


def _row_words(context):
    """The row's fixed words, the detail URL, the current time and language, looked up once per page."""
    words = context.render_context.get("incident_row")
    if words is None:
        language = get_language()
        words = context.render_context["incident_row"] = {
            "language": language, "states": _state_texts(language),
            "select": conditional_escape(gettext("Select")), "major": conditional_escape(gettext("Major")),
            "unassigned": conditional_escape(gettext("Unassigned")),
            # One reverse() for the page: each row's URL is this one with its own id.
            "url": url_for_rows(lambda pk: conditional_escape(reverse("incidents:incident_detail", args=[pk]))),
            # `when`'s "now" (and time zone) once for the page's fifty dates, not once per date.
            "now": timezone.localtime(),
        }
    return words


def _short_date(value, now, language):
    if value is not None and timezone.is_aware(value):
        return local_when(value, "short", now, language)
    return when(value, "short")


def _title(title):
    """`title|truncatechars:80`: Truncator normalises the text (NFC) and returns it whole when it
    has at most 80 characters, which a queue's titles mostly have; only longer ones need it."""
    text = unicodedata.normalize("NFC", str(title))
    return text if len(text) <= 80 else truncatechars(title, 80)


def _clocks(incident):
    """The row's SLA clocks as the queue read them (incidents.views.queue_rows: LISTED_CLOCKS) or
    prefetched them, without building the generic relation's manager per row."""
    listed = getattr(incident, LISTED_CLOCKS, None)
    if listed is not None:
        return listed
    cached = getattr(incident, "_prefetched_objects_cache", {}).get("sla_clocks")
    return cached if cached is not None else incident.sla_clocks.all()


@register.simple_tag(takes_context=True)
def incident_row(context, incident):
    """One queue row, as the loop body of `_rows.html` wrote it (same markup, character for
    character): 25 rows of a dozen template variables each were the largest part of a queue
    page's CPU time (issue 12, third round). The SLA badges are `{% sla_badges %}`'s, which writes
    what their template did (issue 12, eighth round: the template was a quarter of a row)."""
    # The escaping of django.utils.html.conditional_escape, without its lazy-argument wrapper
    # (~8,000 Python lines a queue page; issue 12, ninth round).
    e = escape
    words = _row_words(context)
    badges = sla_badges(_clocks(incident))
    now, language = words["now"], words["language"]
    major = f' <span class="badge text-bg-danger">{words["major"]}</span>' if incident.is_major else ""
    service = f" · {e(incident.service)}" if incident.service else ""
    return SafeString(
        f'\n    <tr data-testid="incident-row">\n'
        f'      <td><input class="form-check-input" type="checkbox" name="incidents" value="{incident.pk}" '
        f'aria-label="{words["select"]} {e(incident.number)}"></td>\n'
        f'      <td class="text-nowrap"><a href="{words["url"](incident.pk)}">{e(incident.number)}</a>{major}</td>\n'
        f'      <td><span class="badge text-bg-{e(badge(incident, "priority"))}">P{incident.priority}</span></td>\n'
        f'      <td><span class="badge text-bg-{e(badge(incident, "state"))}">'
        f'{_state_text(words["states"], incident.state)}</span></td>\n'
        f'      <td class="col-title">{e(_title(incident.title))}<div class="small text-body-secondary">'
        f'{e(incident.caller)}{service}</div></td>\n'
        f'      <td class="text-nowrap small">{_short_date(incident.created_at, now, language)}</td>\n'
        f'      <td class="text-nowrap small">{_short_date(incident.updated_at, now, language)}</td>\n'
        f'      <td class="small">{e(incident.assignment_group or "—")}<div class="text-body-secondary">'
        f'{e(incident.assigned_to or words["unassigned"])}</div></td>\n'
        f'      <td class="small">{badges}</td>\n'
        f'    </tr>\n  '
    )


@register.simple_tag(takes_context=True)
def queue_tabs(context, queues, queue):
    """The queue tabs' items, as list.html's loop wrote them (same markup, character for
    character; each value shown as `{{ }}` shows it): eight tabs of a dozen template nodes were
    ~2,000 Python lines a queue page (issue 12, ninth round)."""
    out = []
    for value, label, count in queues:
        current = value == queue
        shown = render_value_in_context(value, context)
        badge_ = ""
        if count is not None:
            colour = ("badge-sla-breached" if value == "breached" and count else
                      "badge-sla-warning" if value == "breaching" and count else "text-bg-light")
            badge_ = (f' <span class="badge rounded-pill {colour}" data-testid="queue-count">'
                      f'{render_value_in_context(count, context)}</span>')
        active, aria = (" active", ' aria-current="page"') if current else ("", "")
        out.append(f'\n  <li class="nav-item"><a class="nav-link{active}" href="?queue={shown}" '
                   f'data-testid="queue-{shown}"{aria}>'
                   f'{render_value_in_context(label, context)}{badge_}</a></li>\n  ')
    return SafeString("".join(out))


@register.simple_tag(takes_context=True)
def sort_headers(context, sort_columns, ordering, query_no_order):
    """The sortable column heads, as _rows.html's loop wrote them (same markup, character for
    character), on every queue page and htmx refresh (issue 12, ninth round)."""
    query = f"{render_value_in_context(query_no_order, context)}&amp;" if query_no_order else ""
    out = []
    for field, label in sort_columns:
        mark = " ▲" if ordering == field else " ▼" if ordering == f"-{field}" else ""
        out.append(f'\n      <th scope="col"><a class="link-body-emphasis text-decoration-none" '
                   f'href="?{query}'
                   f'ordering={"-" if ordering == field else ""}{render_value_in_context(field, context)}">'
                   f'{render_value_in_context(label, context)}{mark}</a></th>\n      ')
    return SafeString("".join(out))
