"""Parts of the incident record page written in Python (issue 12, seventh round).

The record page's header (number, title, badges, the caller and the quick actions) was some
thirty template nodes resolved by the engine on every page. `{% incident_header %}` writes the
same characters; incidents/tests/test_record_markup.py holds it equal to the template it replaced,
for every state, flag and viewer, in English and Korean.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.templatetags.core_tags import badge, when
from incidents.choices import IncidentState
from incidents.models import Incident

register = template.Library()

# The choice fields' labels (lazy: translated when shown); get_FOO_display() builds a dict of every
# choice, hashing each lazy label (a translation each), on every call.
_LABELS = {name: dict(Incident._meta.get_field(name).flatchoices)
           for name in ("state", "priority", "on_hold_reason", "channel")}
_WORDS: dict = {}  # language -> the header's fixed words, escaped


def display(incident, name):
    """incident.get_<name>_display(), from the labels kept per process."""
    value = getattr(incident, name)
    return _LABELS[name].get(value, value)


def _words():
    language = get_language()
    words = _WORDS.get(language)
    if words is None:
        e = conditional_escape
        words = _WORDS[language] = {key: e(gettext(text)) for key, text in (
            ("overridden", "overridden"), ("major", "Major incident"), ("security", "Security incident"),
            ("caller", "Caller"), ("opened", "opened"), ("take", "Assign to me"))}
    return words


def csrf_input(context):
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if not token:
        return ""
    return "" if token == "NOTPROVIDED" else format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def incident_header(context, incident):
    """The record page's header: what detail.html's `page-header` block wrote, character for character."""
    e = conditional_escape
    words = _words()
    user = context.get("user")
    flags = [
        f'<span class="badge text-bg-light">{e(display(incident, "on_hold_reason"))}</span>'
        if incident.on_hold_reason else "",
        f'<span class="badge text-bg-{e(badge(incident, "priority"))}" data-testid="priority">'
        f'{e(display(incident, "priority"))}</span>',
        f'<span class="badge text-bg-light" title="{e(incident.priority_override_reason)}">{words["overridden"]}</span>'
        if incident.priority_override else "",
        f'<span class="badge text-bg-danger">{words["major"]}</span>' if incident.is_major else "",
        f'<span class="badge text-bg-dark" data-testid="security-badge">{words["security"]}</span>'
        if incident.is_security else "",
    ]
    csrf = None
    take = start = ""
    if incident.is_open and incident.assigned_to_id != getattr(user, "pk", None):
        csrf = csrf_input(context)
        take = (f'\n    <form method="post" action="{e(reverse("incidents:incident_take", args=[incident.pk]))}">'
                f'{csrf}\n      <input type="hidden" name="version" value="{e(incident.version)}">\n'
                f'      <button class="btn btn-outline-primary" type="submit" data-testid="take">{words["take"]}'
                '</button>\n    </form>\n    ')
    if incident.state in (IncidentState.NEW, IncidentState.ON_HOLD):
        csrf = csrf_input(context) if csrf is None else csrf
        url = e(reverse("incidents:incident_transition", args=[incident.pk]))
        label = e(incident.lifecycle.action_label(incident.state, IncidentState.IN_PROGRESS.value))
        start = (f'\n    <form method="post" action="{url}" hx-post="{url}">{csrf}\n'
                 f'      <input type="hidden" name="version" value="{e(incident.version)}">'
                 '<input type="hidden" name="state" value="in_progress">\n'
                 f'      <button class="btn btn-outline-success" type="submit" data-testid="start-work">{label}'
                 '</button>\n    </form>\n    ')
    return mark_safe(
        '<div class="page-header">\n  <div>\n'
        f'    <h1 class="mb-1"><span class="text-body-secondary">{e(incident.number)}</span> {e(incident.title)}</h1>\n'
        '    <div class="d-flex flex-wrap gap-2 align-items-center" data-testid="incident-header">\n'
        f'      <span class="badge text-bg-{e(badge(incident, "state"))}" data-testid="state">'
        f'{e(display(incident, "state"))}</span>\n      ' + "\n      ".join(flags) + "\n"
        f'      <span class="small text-body-secondary">{words["caller"]}: {e(incident.caller)} · '
        f'{e(display(incident, "channel"))} · {words["opened"]} {when(incident.created_at)}</span>\n'
        '    </div>\n  </div>\n  <div class="d-flex gap-2" data-testid="quick-actions">\n'
        f"    {take}\n    {start}\n  </div>\n</div>"
    )
