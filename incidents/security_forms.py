"""The desk's forms of the information security panel (incidents/partials/_security.html)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.web import bootstrapify
from incidents.choices import CIAImpact, SecurityRecipient


class _Bootstrapped(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class SecurityRatingForm(_Bootstrapped):
    confidentiality_impact = forms.ChoiceField(label=_("Confidentiality"), choices=CIAImpact.choices)
    integrity_impact = forms.ChoiceField(label=_("Integrity"), choices=CIAImpact.choices)
    availability_impact = forms.ChoiceField(label=_("Availability"), choices=CIAImpact.choices)
    security_notes = forms.CharField(label=_("Security notes"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("For the security group only; never shown to the caller."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def ratings(self):
        return {name: self.cleaned_data[name] for name in
                ("confidentiality_impact", "integrity_impact", "availability_impact")}


class SecurityUnflagForm(_Bootstrapped):
    reason = forms.CharField(label=_("Why is this not a security incident?"), max_length=500)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SecurityNotificationForm(_Bootstrapped):
    recipient = forms.ChoiceField(label=_("Notified"), choices=SecurityRecipient.choices)
    recipient_detail = forms.CharField(label=_("Recipient detail"), max_length=200, required=False)
    notified_at = forms.DateTimeField(label=_("Notified at"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text=_("Now if left empty."))
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False,
                                help_text=_("e.g. the regulator's receipt number"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
