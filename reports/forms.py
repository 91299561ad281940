"""Desk forms of service reports; save() nothing: the views call reports.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from reports import rules
from core.exceptions import DomainError


class GenerateForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7, help_text=_("YYYY-MM, a month that has ended"),
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    service = forms.ModelChoiceField(label=_("Service"), required=False, empty_label=_("All services"),
                                     queryset=ConfigurationItem.objects.business_services().order_by("name"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean_month(self):
        try:
            return rules.parse_month(self.cleaned_data["month"])
        except DomainError as refusal:
            raise forms.ValidationError(str(refusal.message)) from None


class DistributeForm(forms.Form):
    recipients = forms.CharField(label=_("Recipients"), max_length=5000,
                                 help_text=_("E-mail addresses, separated by commas or new lines."),
                                 widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
