"""Forms of the register's desk pages. They validate input only; views hand cleaned data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.pickers import use_picker
from core.web import bootstrapify
from improvements.choices import MANUAL_SOURCE_TYPES, ImprovementState, SourceType
from improvements.models import Improvement

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]
EDIT_FIELDS = [
    "title", "description", "kind", "source_type", "benefit", "effort", "risk", "owner", "due_date", "change",
    "organisation", "service", "baseline_value", "baseline_unit", "baseline_date",
    "nonconformity", "cause", "correction", "corrective_action", "effectiveness_review",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ImprovementForm(forms.ModelForm):
    """Create or edit an item (state moves and the result go through the transition form)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    benefit = forms.TypedChoiceField(label=_("Benefit"), choices=SCORE_CHOICES, coerce=int, initial=3,
                                     help_text=_("1 (little) to 5 (large)"))
    effort = forms.TypedChoiceField(label=_("Effort"), choices=SCORE_CHOICES, coerce=int, initial=3,
                                    help_text=_("1 (little) to 5 (large)"))
    risk = forms.TypedChoiceField(label=_("Risk"), choices=SCORE_CHOICES, coerce=int, initial=3,
                                  help_text=_("1 (low) to 5 (high)"))

    class Meta:
        model = Improvement
        fields = EDIT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "nonconformity": forms.Textarea(attrs={"rows": 2}), "cause": forms.Textarea(attrs={"rows": 2}),
            "correction": forms.Textarea(attrs={"rows": 2}), "corrective_action": forms.Textarea(attrs={"rows": 2}),
            "effectiveness_review": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE, "baseline_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raised = self.instance.pk and self.instance.source_object_id is not None
        if raised:
            # An item raised from a record keeps its source.
            del self.fields["source_type"]
        else:
            self.fields["source_type"].choices = [(v, l) for v, l in SourceType.choices if v in MANUAL_SOURCE_TYPES]
        use_picker(self, "owner", "agent")
        self.fields["change"].queryset = self.fields["change"].queryset.order_by("-pk")
        self.fields["service"].queryset = self.fields["service"].queryset.filter(
            ci_class__slug="business_service").order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        bootstrapify(self)

    def changes(self):
        return {name: self.cleaned_data[name] for name in EDIT_FIELDS if name in self.fields}


class TransitionForm(forms.Form):
    """A move, with what it may need: the result measurement and its verifier, a closing note."""

    state = forms.ChoiceField(label=_("Action"), choices=ImprovementState.choices)
    result_value = forms.DecimalField(label=_("Result value"), required=False, max_digits=14, decimal_places=3)
    result_date = forms.DateField(label=_("Result date"), required=False, widget=DATE)
    closure_note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item=None, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["state"].choices = [(v, item.lifecycle.action_label(item.state, v)) for v in allowed]
        # The verifier is whoever records the close (the service stamps verified_at).
        bootstrapify(self)

    def field_changes(self, actor):
        data = self.cleaned_data
        changes = {name: data[name] for name in ("result_value", "result_date") if data.get(name) is not None}
        if data.get("closure_note"):
            changes["closure_note"] = data["closure_note"]
        if data["state"] == ImprovementState.CLOSED_EFFECTIVE:
            changes["verified_by"] = actor
        return changes


class MeasurementForm(forms.Form):
    """Record the baseline (before) or the result (after) measurement."""

    which = forms.ChoiceField(label=_("Measurement"), choices=[("baseline", _("Baseline")), ("result", _("Result"))])
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    date = forms.DateField(label=_("Measured on"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
