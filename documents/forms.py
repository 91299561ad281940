"""Forms of the register's desk pages. They validate input only; views hand cleaned data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core import clauses
from core.pickers import use_picker
from core.web import bootstrapify
from documents.choices import DocumentState
from documents.models import Document

EDIT_FIELDS = ["title", "kind", "description", "owner", "review_at", "clauses", "services", "configuration_items",
               "changes", "releases"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentForm(forms.ModelForm):
    """Register or edit a document (its text goes through versions; its state through the workflow)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clauses = forms.MultipleChoiceField(label=_("Clauses"), choices=clauses.choices, required=False,
                                        help_text=_("ISO/IEC 20000-1 clauses the document serves."))
    body = forms.CharField(label=_("Text of the first version"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

    class Meta:
        model = Document
        fields = EDIT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "review_at": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self, "owner", "agent")
        self.fields["services"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        self.fields["configuration_items"].queryset = ConfigurationItem.objects.order_by("name")
        self.fields["changes"].queryset = self.fields["changes"].queryset.order_by("-pk")
        self.fields["releases"].queryset = self.fields["releases"].queryset.order_by("-pk")
        self.fields["changes"].help_text = _("Requirements only: the changes that deliver it.")
        self.fields["releases"].help_text = _("Requirements only: the releases that deliver it.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["body"]
        bootstrapify(self)

    def changes(self):
        data = {name: self.cleaned_data[name] for name in EDIT_FIELDS if name in self.fields}
        for name in ("services", "configuration_items", "changes", "releases"):
            data[name] = list(data[name])
        if "body" in self.fields:
            data["body"] = self.cleaned_data.get("body") or ""
        return data


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("Action"), choices=DocumentState.choices)
    review_at = forms.DateField(label=_("Next review"), required=False, widget=DATE,
                                help_text=_("On approval; a year on when empty."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item=None, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["state"].choices = [(v, item.lifecycle.action_label(item.state, v)) for v in allowed]
        bootstrapify(self)


class VersionForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    change_summary = forms.CharField(label=_("What changed"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class DistributionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.order_by("name"), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.filter(is_active=True), required=False)
    acknowledgement_required = forms.BooleanField(label=_("Ask for acknowledgement"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self, "person", "person")
        bootstrapify(self)
