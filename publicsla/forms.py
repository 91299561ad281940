from django import forms
from django.utils.translation import gettext_lazy as _

from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from publicsla.models import Contract, IndicatorKind


class ContractForm(forms.ModelForm):
    system_grade = forms.TypedChoiceField(label=_("System grade"), coerce=int,
                                          choices=[(g, str(g)) for g in (1, 2, 3, 4)])

    class Meta:
        model = Contract
        fields = ["name", "system_grade", "monthly_amount", "services", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        bootstrapify(self, multiple_select_size=6)

    def _post_clean(self):
        pass  # publicsla.services checks and writes


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=100)
    # A blank first choice, so that the empty extra row stays unchanged (and is skipped).
    kind = forms.ChoiceField(label=_("measures"), choices=[("", "—"), *IndicatorKind.choices])
    required = forms.BooleanField(label=_("required"), required=False)
    weight = forms.DecimalField(label=_("weight"), max_digits=6, decimal_places=2, min_value=0)
    target = forms.DecimalField(label=_("target level"), max_digits=9, decimal_places=3)
    minimum = forms.DecimalField(label=_("minimum level"), max_digits=9, decimal_places=3)
    formula = forms.CharField(label=_("formula"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = field.widget.attrs.get("class", "") + " form-control-sm"


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)


class WaiverForm(forms.Form):
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-\d{2}$", widget=forms.TextInput(attrs={"type": "month"}))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
