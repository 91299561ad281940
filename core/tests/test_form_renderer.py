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
