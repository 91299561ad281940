"""Desk forms of webhooks. They validate input only; views hand cleaned data to webhooks.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from webhooks import catalog
from webhooks.choices import WebhookDeliveryState

PRIORITIES = [(n, _("P%(n)s") % {"n": n}) for n in range(1, 6)]


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    url = forms.CharField(label=_("URL"), max_length=500, help_text=_(
        "Where events are POSTed. Addresses on this host, private networks and cloud metadata are refused."))
    events = forms.MultipleChoiceField(label=_("Events"), help_text=catalog.WILDCARD_HELP)
    services = forms.ModelMultipleChoiceField(label=_("Only for these services"), required=False,
                                              queryset=ConfigurationItem.objects.none())
    priorities = forms.TypedMultipleChoiceField(label=_("Only for these priorities"), required=False,
                                                choices=PRIORITIES, coerce=int)
    groups = forms.ModelMultipleChoiceField(label=_("Only for these groups"), required=False,
                                            queryset=Team.objects.order_by("name"))
    secret = forms.CharField(label=_("Secret"), required=False, max_length=120, help_text=_(
        "whsec_ followed by base64; leave empty to keep the current one (or to generate one)."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, subscription=None, **kwargs):
        if subscription is not None and "data" not in kwargs and not args:
            filters = subscription.filters or {}
            kwargs["initial"] = {
                "name": subscription.name, "url": subscription.url, "events": subscription.events,
                "services": filters.get("service", []), "priorities": filters.get("priority", []),
                "groups": filters.get("group", []), "active": subscription.active, "version": subscription.version}
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = catalog.choices()
        # Event names are identifiers, the same in every language.
        self.fields["events"].widget.attrs.update(size=12, lang="en", translate="no")
        self.fields["services"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        bootstrapify(self, multiple_select_size=6)

    def fields_for_service(self):
        data = self.cleaned_data
        filters = {key: values for key, values in (
            ("service", [s.pk for s in data["services"]]), ("priority", data["priorities"]),
            ("group", [g.pk for g in data["groups"]])) if values}
        fields = {"name": data["name"], "url": data["url"], "events": data["events"], "filters": filters,
                  "active": data["active"]}
        if data["secret"]:
            fields["secret"] = data["secret"]
        return fields


class DeliveryFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any state"))] + list(WebhookDeliveryState.choices))
    event = forms.CharField(label=_("Event"), required=False, max_length=100)
    start = forms.DateTimeField(label=_("From"), required=False,
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("Until"), required=False,
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class ReplayRangeForm(forms.Form):
    start = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
