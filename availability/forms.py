from django import forms
from django.utils.translation import gettext_lazy as _

from availability.models import Outage, ServiceAvailability
from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from incidents.models import Incident

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class OutageForm(forms.ModelForm):
    """Record or correct an outage; save() is not used (availability.services writes)."""

    incident = forms.CharField(label=_("Incident"), required=False, max_length=30,
                               help_text=_("The incident's number (INC…), if one was opened."))

    class Meta:
        model = Outage
        fields = ["service", "start", "end", "planned", "description"]
        widgets = {"start": DateTimeLocalInput(), "end": DateTimeLocalInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        for name in ("start", "end"):
            self.fields[name].input_formats = [DATETIME_FORMAT]
        if self.instance.pk and self.instance.incident_id:
            self.initial["incident"] = self.instance.incident.number
        bootstrapify(self)

    def clean_incident(self):
        number = (self.cleaned_data.get("incident") or "").strip()
        if not number:
            return None
        incident = Incident.objects.filter(number__iexact=number).first()
        if incident is None:
            raise forms.ValidationError(_("No incident has this number."))
        return incident

    def _post_clean(self):
        # The model's constraints (end after start, no overlap) are the services' to check, with
        # their messages; the form only parses.
        pass


class ServiceSettingsForm(forms.ModelForm):
    """A service's availability settings (managers); availability.services.save_settings writes."""

    class Meta:
        model = ServiceAvailability
        fields = ["service", "calendar", "planned_policy", "target_percent", "warning_percent", "mtrs_target_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        if self.instance.pk:
            self.fields["service"].disabled = True
        bootstrapify(self)

    def validate_unique(self):
        # One row per service: save_settings changes the existing one rather than refusing.
        pass


class MonthForm(forms.Form):
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", required=False,
                             widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
