"""Forms of the supplier pages. They validate input only; views hand cleaned data to services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from suppliers.models import Contract, Dispute, Supplier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUPPLIER_FIELDS = ["name", "business_number", "internal", "team", "website", "notes", "active"]
CONTRACT_FIELDS = ["supplier", "kind", "title", "reference", "scope", "services", "start", "end", "value",
                   "responsible", "review_date", "calendar", "documents"]
DISPUTE_FIELDS = ["contract", "raised_on", "subject", "amount", "state", "resolution"]
PRIORITIES = range(1, 6)


class SupplierForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    contacts = forms.CharField(
        label=_("Contacts"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name | e-mail | phone | role."))

    class Meta:
        model = Supplier
        fields = SUPPLIER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["contacts"].initial = "\n".join(
                " | ".join([c.name, c.email, c.phone, c.role]) for c in self.instance.contacts.all())
        bootstrapify(self)

    def clean_contacts(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("contacts") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > 4 or not parts[0]:
                raise ValidationError(_("Line %(n)d: write name | e-mail | phone | role.") % {"n": number})
            parts += [""] * (4 - len(parts))
            rows.append(dict(zip(("name", "email", "phone", "role"), parts)))
        return rows

    def changes(self):
        return {name: self.cleaned_data[name] for name in SUPPLIER_FIELDS}


class ContractForm(forms.ModelForm):
    """A contract with one response and one resolution field per priority (business minutes)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS
        widgets = {"scope": forms.Textarea(attrs={"rows": 3}), "start": DATE, "end": DATE, "review_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = ConfigurationItem.objects.filter(
            ci_class__slug="business_service").order_by("name")
        self.fields["documents"].queryset = self.fields["documents"].queryset.order_by("-pk")
        current = {}
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.definition_id:
                current = {t.priority: t for t in self.instance.definition.targets.all()}
        for priority in PRIORITIES:
            target = current.get(priority)
            for kind, label in (("response", _("P%(p)d response (minutes)")),
                                ("resolution", _("P%(p)d resolution (minutes)"))):
                self.fields[f"p{priority}_{kind}"] = forms.IntegerField(
                    label=label % {"p": priority}, required=False, min_value=1, max_value=10_000_000,
                    initial=getattr(target, f"{kind}_minutes", None))
        bootstrapify(self, multiple_select_size=6)

    def target_rows(self):
        """(priority, response field, resolution field) for the template."""
        return [(p, self[f"p{p}_response"], self[f"p{p}_resolution"]) for p in PRIORITIES]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The contract cannot end before it starts."))
        return cleaned

    def targets(self):
        rows = []
        for priority in PRIORITIES:
            response = self.cleaned_data.get(f"p{priority}_response")
            resolution = self.cleaned_data.get(f"p{priority}_resolution")
            if response or resolution:
                rows.append({"priority": priority, "response_minutes": response, "resolution_minutes": resolution})
        return rows

    def changes(self):
        return {name: self.cleaned_data[name] for name in CONTRACT_FIELDS if name not in ("services", "documents")}


class DisputeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dispute
        fields = DISPUTE_FIELDS
        widgets = {"raised_on": DATE, "resolution": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.select_related("supplier").order_by("title")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        bootstrapify(self)

    def changes(self):
        return {name: self.cleaned_data[name] for name in DISPUTE_FIELDS}


class ContractFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.order_by("name"), required=False)
    expiring_within = forms.TypedChoiceField(
        label=_("Ending within"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any time")), ("30", _("30 days")), ("90", _("90 days")), ("180", _("180 days"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from suppliers.choices import ContractKind

        self.fields["kind"].choices = [("", _("All kinds")), *ContractKind.choices]
        bootstrapify(self)
