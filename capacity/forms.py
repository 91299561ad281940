from django import forms

from capacity.models import Metric


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["unit", "maximum", "warning_threshold", "critical_threshold"]
