"""Forms of the portfolio's desk pages. They validate input only; views hand cleaned data to services."""

from django import forms

from cmdb.models import ConfigurationItem
from core.pickers import use_picker
from core.web import bootstrapify
from portfolio.models import PortfolioService

FIELDS = ["service", "name_ko", "summary", "summary_ko", "lifecycle", "owner", "customers", "change", "live_since"]


class PortfolioServiceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PortfolioService
        fields = FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "summary_ko": forms.Textarea(attrs={"rows": 3}),
                   "live_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["service"]
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["service"].queryset = (ConfigurationItem.objects.business_services()
                                               .filter(portfolio_entry__isnull=True).order_by("name"))
        use_picker(self, "owner", "agent")
        self.fields["change"].queryset = self.fields["change"].queryset.order_by("-pk")
        bootstrapify(self)

    def changes(self):
        data = {name: self.cleaned_data[name] for name in FIELDS if name in self.fields}
        data["customers"] = list(data["customers"])
        return data
