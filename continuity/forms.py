from django import forms
from django.utils.translation import gettext_lazy as _

from continuity.models import ContinuityTest, Invocation
from incidents.models import Incident


class TestForm(forms.ModelForm):
    class Meta:
        model = ContinuityTest
        fields = ["date", "kind", "result", "rto_achieved_minutes", "findings"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "findings": forms.Textarea(attrs={"rows": 3})}


class InvocationForm(forms.ModelForm):
    incident_number = forms.CharField(label=_("Incident"), required=False, max_length=30,
                                      widget=forms.TextInput(attrs={"placeholder": "INC…"}))

    def clean_incident_number(self):
        number = self.cleaned_data["incident_number"].strip()
        if not number:
            return None
        incident = Incident.objects.filter(number__iexact=number).first()
        if incident is None:
            raise forms.ValidationError(_("No incident %(number)s.") % {"number": number})
        return incident

    class Meta:
        model = Invocation
        fields = ["started", "ended", "reason"]
        widgets = {"started": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ended": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "reason": forms.Textarea(attrs={"rows": 2})}
