"""The Python widget renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.form_renderer import FastWidgetRenderer

CHOICES = [("", "---------"), ("a", "Alpha & <b>"), ("b", 'Beta "quoted"'), (3, "Three")]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Zed")]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help", widget=forms.TextInput(attrs={"class": "form-control"}))
    optional = forms.CharField(required=False, disabled=True)
    number = forms.IntegerField(min_value=1, max_value=5)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    stamp = forms.DateTimeField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    flag = forms.BooleanField(required=False)
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)


VALUES = [
    None,
    {"text": 'a "<quoted>" & value', "number": "x", "hidden": "h&", "when": "2026-01-02", "notes": "<script>\nline",
     "flag": "on", "pick": "b", "grouped": "y", "many": ["a", 3], "radio": "a", "stamp": "2026-01-02 10:00"},
]


@pytest.mark.parametrize("data", VALUES)
def test_every_widget_renders_as_the_templates_do(data):
    initial = {"when": datetime.date(2026, 3, 4), "notes": "Initial & text", "pick": 3, "flag": True}
    fast = Everything(data, initial=initial, renderer=FastWidgetRenderer())
    slow = Everything(data, initial=initial, renderer=DjangoTemplates())
    if data:
        fast.is_valid(), slow.is_valid()
    for name in Everything.base_fields:
        assert str(fast[name]) == str(slow[name]), name


def test_the_incident_forms_render_as_the_templates_do(agent, end_user):
    from incidents.forms import BulkUpdateForm, CommentForm, IncidentForm, IncidentTransitionForm
    from incidents.services import open_incident

    incident = open_incident(actor=agent, caller=end_user, channel="web",
                             title="Printer <offline>", description="a & b")
    for make in (lambda: IncidentForm(instance=incident), lambda: IncidentTransitionForm(),
                 lambda: CommentForm(), lambda: BulkUpdateForm()):
        fast, slow = make(), make()
        fast.renderer, slow.renderer = FastWidgetRenderer(), DjangoTemplates()
        for name in fast.fields:
            assert str(fast[name]) == str(slow[name]), name


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_pickers_render_as_their_template_does(agent, end_user, language):
    """Issue 12, sixth round: core/widgets/picker.html is written in Python too; a posted text
    that needs escaping, an id, an empty picker and the translated attributes stay the same."""
    from django.utils import translation

    from incidents.forms import IncidentForm
    from incidents.services import open_incident

    incident = open_incident(actor=agent, caller=end_user, channel="web", title="Printer")
    posted = {"caller": str(end_user.pk), "caller_text": 'Kim "<b>" & co', "configuration_item": "",
              "configuration_item_text": "메일 서버", "assigned_to": "x&y", "assigned_to_text": ""}
    with translation.override(language):
        for data in (None, posted):
            fast = IncidentForm(data, instance=incident)
            slow = IncidentForm(data, instance=incident)
            fast.renderer, slow.renderer = FastWidgetRenderer(), DjangoTemplates()
            for name in ("caller", "configuration_item", "assigned_to"):
                assert str(fast[name]) == str(slow[name]), name
                assert 'class="picker"' in str(fast[name])


class Selects(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES, help_text="Choose <one>")
    grouped = forms.ChoiceField(choices=GROUPED + [("", [("e", "In an unnamed group")])])
    numbers = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two"), (None, "None")], coerce=int, required=False)
    attrs = forms.ChoiceField(choices=CHOICES, disabled=True, widget=forms.Select(attrs={"class": "form-select",
                                                                                         "data-x": 'a"b'}))


@pytest.mark.parametrize("data", [None, {"pick": "b", "required": "nope", "grouped": "y", "numbers": "2"},
                                  {"pick": "3", "grouped": "e", "numbers": ""}])
def test_a_select_written_from_its_choices_is_what_its_templates_render(data, agent, end_user):
    """core.form_renderer.select_html (the form_field tag's selects) against Django's templates:
    selected values, groups, errors (aria-invalid), help text, required, disabled and attributes."""
    from core.form_renderer import select_html
    from incidents.forms import IncidentForm
    from incidents.services import open_incident

    initial = {"pick": 3, "numbers": 1}
    fast = Selects(data, initial=initial, renderer=FastWidgetRenderer())
    slow = Selects(data, initial=initial, renderer=DjangoTemplates())
    if data:
        fast.is_valid(), slow.is_valid()
    for name in Selects.base_fields:
        assert select_html(fast[name]) == str(slow[name]), name
    incident = open_incident(actor=agent, caller=end_user, channel="web", title="Printer", impact=1)
    fast, slow = IncidentForm(instance=incident), IncidentForm(instance=incident)
    fast.renderer, slow.renderer = FastWidgetRenderer(), DjangoTemplates()
    selects = [name for name in fast.fields if select_html(fast[name]) is not None]
    assert {"impact", "urgency", "priority", "category", "assignment_group", "parent"} <= set(selects)
    for name in selects:
        assert select_html(fast[name]) == str(slow[name]), name
    assert select_html(slow["impact"]) is None and select_html(fast["title"]) is None
