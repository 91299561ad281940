"""The form renderer of every page: Django's widget templates, written in Python for the common ones.

A desk ticket page renders about 22 widgets; through Django's renderer each is a template, and
each select option another included template, which was half of the incident page's CPU time
(bench/README.md, issue 12). The widgets below produce the same HTML as Django's templates
(`django/forms/widgets/*.html`: same attribute order, escaping and whitespace); any other template
(pickers, radio and checkbox lists, whole forms) goes through the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_W = "django/forms/widgets/"
_INPUTS = {f"{_W}{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
    "search", "tel", "color", "checkbox",
)}


def _attrs(attrs):
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True
                     else f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget):
    value = widget["value"]
    return (f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{conditional_escape(value) if value else ""}</textarea>')


def _select(widget):
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_W}select_option.html":
                return None
            out.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                       f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        html = None
        if widget is not None:
            if template_name in _INPUTS:
                html = _input(widget)
            elif template_name == f"{_W}textarea.html":
                html = _textarea(widget)
            elif template_name == f"{_W}select.html":
                html = _select(widget)
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()
