"""A record page's activity thread written in Python (issue 12, sixth round).

`core/_timeline.html` rendered a dozen template nodes per item (each variable, filter, `if` and
translation resolved by the engine), the largest part of a desk record page's own markup after its
form. `{% timeline_list %}` writes the same characters; core/tests/test_timeline_markup.py holds
it equal to the template it replaced for every kind of item, on the desk and the portal, in
English and Korean.
"""

from django import template
from django.template.defaultfilters import capfirst, filesizeformat, linebreaksbr
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accounts import roles
from core.models import AuditEntry
from core.templatetags.core_tags import channel_label, when

register = template.Library()


# The audit actions' labels (lazy: translated when shown): get_action_display() builds a dict of
# every choice, hashing each lazy label (a translation each), for every event shown.
_ACTIONS = dict(AuditEntry._meta.get_field("action").flatchoices)


def _lock():
    return get_template("core/_lock_icon.html").render()


def _meta(item, desk, lock):
    """The item's words after its actor: what was done, and its visibility badge."""
    e = conditional_escape
    kind = item.kind
    if kind == "comment":
        public = (' <span class="badge text-bg-primary timeline-visibility" data-testid="visibility-public">'
                  f'{e(gettext("Public"))}</span>') if desk() else ""
        return f'{e(gettext("commented"))}{public}\n      '
    if kind == "work_note":
        return ('<span class="badge text-bg-warning timeline-visibility" data-testid="visibility-internal">'
                f'{lock} {e(gettext("Work note · internal"))}</span>\n      ')
    if kind == "attachment":
        internal = (f' <span class="badge text-bg-warning timeline-visibility">{lock} {e(gettext("internal"))}</span>'
                    if item.obj.internal else "")
        return f'{e(gettext("attached a file"))}{internal}\n      '
    if kind == "created":
        return f'{e(gettext("created the record"))}\n      '
    if kind == "event":
        return f'<span class="badge text-bg-secondary">{e(_ACTIONS.get(item.obj.action, item.obj.action))}</span>\n      '
    return e(gettext("changed"))


def _item(item, desk, lock):
    e = conditional_escape
    out = [f'\n  <li class="timeline-item timeline-{e(item.kind)}" data-kind="{e(item.kind)}">\n'
           '    <div class="timeline-meta small text-body-secondary">\n'
           f'      <strong class="text-body">{e(item.actor or gettext("System"))}</strong>\n      ',
           _meta(item, desk, lock), f"\n      · {when(item.at)}\n      "]
    if item.channel:
        out.append(f"· {e(channel_label(item.channel))}")
    out.append("\n    </div>\n    ")
    if item.kind == "attachment":
        url = e(reverse("core:attachment_download", args=[item.obj.pk]))
        out.append(f'\n      <a href="{url}">{e(item.body)}</a> <span class="text-body-secondary small">'
                   f"({e(filesizeformat(item.obj.size))})</span>\n    ")
    elif item.body:
        out.append(f'\n      <div class="timeline-body">{linebreaksbr(item.body, autoescape=True)}</div>\n    ')
    out.append("\n    ")
    if item.changes:
        out.append('\n      <ul class="timeline-changes small mb-0">\n      ')
        for label, old, new in item.changes:
            was = (f'<span class="text-decoration-line-through text-body-secondary">'
                   f"{linebreaksbr(old, autoescape=True)}</span> → ") if old else ""
            out.append(f'\n        <li><span class="fw-semibold">{e(capfirst(label))}</span>: {was}'
                       f"{linebreaksbr(new, autoescape=True)}</li>\n      ")
        out.append("\n      </ul>\n    ")
    out.append("\n  </li>\n")
    return "".join(out)


@register.simple_tag(takes_context=True)
def timeline_list(context):
    """The context's `timeline` (core.selectors.timeline) as the activity thread's list; the
    viewer (`user`) decides whether a comment says it is public (only the desk tells them apart)."""
    items = context.get("timeline") or ()
    seen = []

    def desk():  # asked, as the template did, only of a comment (the roles may cost a statement)
        if not seen:
            seen.append(roles.is_agent(context.get("user", "")))
        return seen[0]

    lock = _lock() if items else ""
    body = "".join(_item(item, desk, lock) for item in items) if items else \
        f'\n  <li class="text-body-secondary">{conditional_escape(gettext("No activity yet."))}</li>\n'
    return mark_safe(f'\n<ol class="timeline list-unstyled" data-testid="timeline">\n{body}\n</ol>\n')
