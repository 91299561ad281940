"""The form renderer of every page: Django's widget templates, written in Python for the common ones.

A desk ticket page renders about 22 widgets; through Django's renderer each is a template, and
each select option another included template, which was half of the incident page's CPU time
(bench/README.md, issue 12). The widgets below produce the same HTML as Django's templates
(`django/forms/widgets/*.html`: same attribute order, escaping and whitespace), and so does the
pickers' (`core/widgets/picker.html`, three on the incident page: ~15 % of its widgets' time went
to that template and its attrs include, issue 12, sixth round). Any other template (radio and
checkbox lists, whole forms) goes through the templates as before.
"""

from html import escape as _html_escape

from django import forms
from django.forms.renderers import DjangoTemplates
from django.templatetags.static import static
from django.utils.translation import gettext

_W = "django/forms/widgets/"


def conditional_escape(value):
    """django.utils.html.conditional_escape's text, without its lazy-argument wrapper around
    escape(): a select's options call it three times each (issue 12, sixth round)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))
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


def _option(value, label, attrs_html):
    """Django's select_option.html for one option, its attributes already written."""
    return f'\n  <option value="{conditional_escape(str(value))}"{attrs_html}>{conditional_escape(label)}</option>\n'


def _select(widget):
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_W}select_option.html":
                return None
            out.append(_option(option["value"], option["label"], _attrs(option["attrs"])))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _picker(widget):
    e = conditional_escape
    return (f'<div class="picker">\n<input type="text" name="{e(widget["text_name"])}" value="{e(widget["text"])}" '
            f'role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="{e(widget["listbox_id"])}" '
            f'data-picker-url="{e(widget["url"])}" data-picker-target="{e(widget["hidden_id"])}" '
            f'data-picker-empty="{e(gettext("No match. Keep typing a name."))}"{_attrs(widget["attrs"])}>\n'
            f'<input type="hidden" name="{e(widget["name"])}" id="{e(widget["hidden_id"])}" value="{e(widget["ident"])}">\n'
            f'<ul class="picker-list list-group" id="{e(widget["listbox_id"])}" role="listbox" '
            f'aria-label="{e(gettext("Suggestions"))}" hidden></ul>\n'
            f'</div><script src="{e(static("js/picker.js"))}" defer></script>')


_PYTHON = {f"{_W}textarea.html": _textarea, f"{_W}select.html": _select, "core/widgets/picker.html": _picker}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        html = None
        if widget is not None:
            if template_name in _INPUTS:
                html = _input(widget)
            elif template_name in _PYTHON:
                html = _PYTHON[template_name](widget)
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()


def select_html(bound):
    """What `str(bound)` renders for a plain `forms.Select` under FastWidgetRenderer, written from
    the field's choices: Django first builds a dict per option (`ChoiceWidget.optgroups`), a
    quarter of the record page's widget time (issue 12, sixth round). None where this does not
    apply (another widget or renderer, a hidden initial, localisation): render the field instead.
    The steps are BoundField.as_widget's, Widget.get_context's and ChoiceWidget.optgroups'."""
    field = bound.field
    widget = field.widget
    if type(widget) is not forms.Select or field.show_hidden_initial or field.localize \
            or not isinstance(bound.form.renderer, FastWidgetRenderer):
        return None
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    value = widget.format_value(bound.value())
    out = [f'<select name="{conditional_escape(bound.html_name)}"{_attrs(widget.build_attrs(widget.attrs, attrs))}>']
    has_selected = False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group, choices = option_value, option_label
            out.append(f'\n  <optgroup label="{conditional_escape(group)}">' if group else "")
        else:
            group, choices = None, ((option_value, option_label),)
        for subvalue, sublabel in choices:
            selected = not has_selected and str(subvalue) in value
            has_selected |= selected
            out.append(_option(subvalue, sublabel, " selected" if selected else ""))
        if group:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)
