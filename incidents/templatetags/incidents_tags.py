from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


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
    options = []
    for key, label in field.choices:
        key = "" if key is None else str(getattr(key, "value", key))
        options.append(format_html('<option value="{}"{}>{}</option>', key,
                                   mark_safe(" selected") if key in selected else "", label))
    return format_html(
        '<select name="{}" id="{}" class="form-select"{}>{}</select>', bound.html_name, bound.auto_id,
        mark_safe(" multiple") if multiple else "", mark_safe("".join(options)),
    )


@register.simple_tag
def select_field(bound):
    """What `{% include "incidents/partials/_select_field.html" with field=… %}` renders, without the
    include (ten of them on every queue page; issue 12, third round; a test holds both equal)."""
    errors = "".join(f'<div class="invalid-feedback d-block">{conditional_escape(error)}</div>' for error in bound.errors)
    return mark_safe(f'<div class="mb-3">\n  <label class="form-label" for="{conditional_escape(bound.auto_id)}">'
                     f'{conditional_escape(bound.label)}</label>\n  {fast_select(bound)}\n  {errors}\n</div>\n')
