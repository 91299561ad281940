"""Agent desk forms for releases. save() has no side effects: views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from changes.forms import DATETIME_FORMAT, DateTimeLocalInput, bootstrapify
from changes.models import Change
from core.pickers import use_picker
from releases.choices import DeploymentState, Environment, ReleaseState
from releases.models import Release


class ChangeNumbersField(forms.CharField):
    """Changes typed as numbers (CHG0001001), comma separated."""

    def clean(self, value):
        value = super().clean(value)
        numbers = {t.strip().upper() for t in (value or "").split(",") if t.strip()}
        found = list(Change.objects.filter(number__in=numbers).only("id", "number", "state"))
        missing = numbers - {c.number for c in found}
        if missing:
            raise forms.ValidationError(_("Unknown changes: %(items)s.") % {"items": ", ".join(sorted(missing))})
        return found


class ReleaseForm(forms.ModelForm):
    change_numbers = ChangeNumbersField(label=_("Changes"), required=False,
                                        help_text=_("Change numbers, separated by commas."))

    class Meta:
        model = Release
        fields = ["title", "version_label", "description", "planned_date", "assignment_group", "assigned_to",
                  "test_summary", "tests_passed"]
        widgets = {"planned_date": DateTimeLocalInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "test_summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self, "assigned_to", "agent")
        self.fields["planned_date"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.fields["change_numbers"].initial = ", ".join(c.number for c in self.instance.changes.all())
        bootstrapify(self)

    def _post_clean(self):
        pass

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class ReleaseTransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Move to"), choices=ReleaseState.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeploymentForm(forms.Form):
    environment = forms.ChoiceField(label=_("Environment"), choices=Environment.choices)
    state = forms.ChoiceField(label=_("Step"), choices=DeploymentState.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
