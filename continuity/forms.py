from django import forms

from continuity.models import ContinuityTest, Invocation


class TestForm(forms.ModelForm):
    class Meta:
        model = ContinuityTest
        fields = ["date", "kind", "result", "rto_achieved_minutes", "findings"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "findings": forms.Textarea(attrs={"rows": 3})}


class InvocationForm(forms.ModelForm):
    class Meta:
        model = Invocation
        fields = ["started", "ended", "reason"]
        widgets = {"started": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ended": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "reason": forms.Textarea(attrs={"rows": 2})}
