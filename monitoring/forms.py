"""Forms of rule administration (model validation in clean() is shared with the admin)."""

from django import forms

from monitoring.models import CIMappingRule, IncidentRule


class CIMappingRuleForm(forms.ModelForm):
    class Meta:
        model = CIMappingRule
        fields = ["name", "order", "active", "match_on", "label", "pattern", "target", "attribute"]


class IncidentRuleForm(forms.ModelForm):
    class Meta:
        model = IncidentRule
        fields = ["name", "order", "active", "min_severity", "environment", "max_criticality", "open_incident",
                  "impact", "urgency"]
