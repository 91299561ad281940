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
from django.utils.translation import get_language, gettext, gettext_lazy

from core import memo

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


# Django's own text-like inputs: Input.get_context, Widget.render and a template in _INPUTS.
_PLAIN_INPUTS = {forms.TextInput, forms.DateInput, forms.NumberInput, forms.EmailInput, forms.URLInput,
                 forms.SearchInput, forms.TelInput}


def input_html(bound):
    """What `str(bound)` renders for one of Django's text-like inputs under FastWidgetRenderer,
    written without the widget's context and renderer round (BoundField.as_widget's,
    Widget.get_context's and Input.get_context's steps, as select_html does for selects): the
    queue's six date inputs and search box were ~2,000 Python lines a page (issue 12, ninth
    round). None where this does not apply: render the field instead."""
    field = bound.field
    widget = field.widget
    if type(widget) not in _PLAIN_INPUTS or widget.template_name not in _INPUTS or field.show_hidden_initial \
            or field.localize or not isinstance(bound.form.renderer, FastWidgetRenderer):
        return None
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    value = widget.format_value(bound.value())
    return _input({"type": widget.input_type, "name": bound.html_name, "value": value,
                   "attrs": widget.build_attrs(widget.attrs, attrs)}).strip()


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
    kept = _kept_options(field)
    if kept is None:
        kept = _static_options(field, widget.choices)
    if kept is not None:
        has_selected = False
        for key, head, tail in kept:
            selected = not has_selected and key in value
            has_selected |= selected
            out.append(f"{head} selected{tail}" if selected else head + tail)
        out.append("\n</select>")
        return "".join(out)
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


def _kept_options(field):
    """[(value, markup before " selected", markup after)] of a kept list's options (a field given
    its rows by core.choices_memo: teams, categories, services), written once per process, list,
    language and empty label under the lists' generation, as the rows are (incidents_tags keeps
    the queue's the same way). A record page wrote ~40 such options per request, each label worked
    out and escaped: ~2,500 Python lines (issue 12, ninth round). None for any other field."""
    name = getattr(field, "memo_choices_name", None)
    if name is None or "label_from_instance" in vars(field) or hasattr(field, "_choices"):
        return None
    key = (f"core.select_html:{name}:{type(field).__module__}.{type(field).__qualname__}:"
           f"{get_language()}:{getattr(field, 'empty_label', None)}")
    return memo.memoised(key, lambda: _option_parts(field.widget.choices), key=memo.REFERENCE)


def _option_parts(choices):
    parts = []
    for option_value, option_label in choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            return None  # groups: written per request
        key = str(option_value)
        parts.append((key, f'\n  <option value="{conditional_escape(key)}"',
                      f">{conditional_escape(option_label)}</option>\n"))
    return parts


_GETTEXT_LAZY = type(gettext_lazy("Any"))
_STATIC: dict = {}  # (build, language, (value, label or its id) per option) -> (labels, option parts)
_STATIC_MAX = 512


def _static_options(field, choices):
    """_option_parts of a fixed list (impact, urgency, the state menu's actions); None for a
    model's rows or a label that is neither plain text nor a gettext_lazy."""
    if hasattr(field, "queryset"):
        return None
    return kept_static_options(choices, _option_parts, choices)


def kept_static_options(choices, build, argument):
    """build(argument): the option markup of a fixed list whose labels are plain text or
    gettext_lazy's, kept per process under `build`, the language and the options (the record
    page's and the queue's fixed selects: `format_html` per option, each translating its lazy
    label, was ~3,000 Python lines a queue page; issue 12, ninth round). A lazy label is known by
    its identity: the entry holds the labels, so no other object can take their ids while it is
    kept. None for any other label."""
    shape, labels = [build, get_language()], []
    for value, label in choices:
        key = "" if value is None else str(getattr(value, "value", value))
        kind = type(label)
        if kind is str:
            shape.append((key, label))
        elif kind is _GETTEXT_LAZY:
            shape.append((key, id(label)))
            labels.append(label)
        else:
            return None
    shape = tuple(shape)
    kept = _STATIC.get(shape)
    if kept is None:
        if len(_STATIC) >= _STATIC_MAX:
            _STATIC.clear()
        kept = _STATIC[shape] = (labels, build(argument))
    return kept[1]
