"""Forms of VOC records: the desk's record form, the portal's, the response, the state move."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team, User
from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from voc.choices import VocChannel, VocKind
from voc.models import Voc


def radios(form):
    """Radio buttons look like radio buttons (bootstrapify gives every other widget form-control)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
    return form


def _services():
    return ConfigurationItem.objects.business_services().order_by("name")


class TicketNumbersField(forms.CharField):
    """Ticket numbers separated by commas or spaces: INC0001001, REQ0001002."""

    def to_python(self, value):
        value = super().to_python(value) or ""
        return [part for part in value.replace(",", " ").split() if part]


class VocForm(forms.ModelForm):
    tickets = TicketNumbersField(label=_("Related tickets"), required=False,
                                 help_text=_("Ticket numbers, e.g. INC0001001, REQ0001002."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Voc
        fields = ["kind", "title", "description", "channel", "reported_by", "organisation", "service",
                  "assignment_group", "assigned_to"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()
        self.fields["reported_by"].queryset = User.objects.filter(is_active=True)
        self.fields["assigned_to"].queryset = User.objects.filter(is_active=True, groups__name__in=["agent", "manager", "admin"]).distinct()
        self.fields["assignment_group"].queryset = Team.objects.all()
        self.fields["organisation"].queryset = Organisation.objects.all()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["tickets"].initial = ", ".join(self.instance.ticket_links.values_list("number", flat=True))
            del self.fields["reported_by"]
        bootstrapify(self)

    def changes(self):
        fields = [name for name in self.Meta.fields if name in self.cleaned_data and name != "reported_by"]
        return {name: self.cleaned_data[name] for name in fields}


class PortalVocForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like to tell us?"), choices=VocKind.choices,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}))
    service = forms.ModelChoiceField(label=_("Service (if you know it)"), required=False,
                                     queryset=ConfigurationItem.objects.none())
    tickets = TicketNumbersField(label=_("Your related tickets (optional)"), required=False,
                                 help_text=_("Ticket numbers, e.g. INC0001001."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services()
        radios(bootstrapify(self))


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Response to the person"), widget=forms.Textarea(attrs={"rows": 4}),
                               required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class VocTransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("Move to"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, allowed=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(str(s), (labels or {}).get(str(s), str(s))) for s in allowed]
        bootstrapify(self)


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Why escalate now"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


CHANNEL_CHOICES = VocChannel.choices
