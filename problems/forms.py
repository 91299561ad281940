"""Forms for the problem desk pages. They validate input only; views hand cleaned data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from problems.choices import ProblemState
from problems.models import Problem
from core.pickers import use_picker
from core.web import bootstrapify as _bootstrapify, parse_id

EDIT_FIELDS = [
    "title", "description", "impact", "priority", "cause_category", "assignment_group", "assigned_to",
    "root_cause", "workaround", "analysis_notes", "known_error",
]


class ProblemForm(forms.ModelForm):
    """Create or edit a problem's fields (state changes go through ProblemTransitionForm)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Problem
        fields = EDIT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
            "analysis_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment_group"].queryset = Team.objects.order_by("name")
        use_picker(self, "assigned_to", "agent")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        bootstrapify(self)

    def changes(self):
        """The cleaned values of the editable fields, for services.update_problem/create_problem."""
        return {name: self.cleaned_data[name] for name in EDIT_FIELDS}


class ProblemTransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=ProblemState.choices)
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    workaround = forms.CharField(label=_("Workaround"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolve_incidents = forms.BooleanField(
        label=_("Also resolve the open incidents of this problem"), required=False,
    )
    resolution_notes = forms.CharField(
        label=_("Resolution notes for the incidents"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if allowed:
            self.fields["state"].choices = [(v, l) for v, l in ProblemState.choices if v in allowed]
        bootstrapify(self)

    def field_changes(self):
        return {k: self.cleaned_data[k] for k in ("root_cause", "workaround") if self.cleaned_data.get(k)}


LINK_LABELS = {
    "incidents": _("Incident number or id"),
    "configuration_items": _("CI name or id"),
    "changes": _("Change number or id"),
}


class LinkForm(forms.Form):
    """Link one record by its number, name or id."""

    field = forms.ChoiceField(choices=[(k, k) for k in LINK_LABELS], widget=forms.HiddenInput)
    reference = forms.CharField(label=_("Record"), max_length=200)

    def clean(self):
        cleaned = super().clean()
        field, reference = cleaned.get("field"), (cleaned.get("reference") or "").strip()
        if not field or not reference:
            return cleaned
        model = Problem._meta.get_field(field).related_model if field in _link_fields() else None
        if model is None:
            raise forms.ValidationError(_("This link is not available."))
        target = resolve_reference(model, reference)
        if target is None:
            self.add_error("reference", _("No record matches “%(ref)s”.") % {"ref": reference})
        cleaned["target"] = target
        return cleaned


def _link_fields():
    return {f.name for f in Problem._meta.many_to_many}


def resolve_reference(model, reference):
    """Find a record by id, ticket number or (for CIs) exact name."""
    manager = model._default_manager
    if parse_id(reference):
        return manager.filter(pk=parse_id(reference)).first()
    names = {f.name for f in model._meta.get_fields()}
    if "number" in names:
        return manager.filter(number__iexact=reference).first()
    if "name" in names:
        return manager.filter(name__iexact=reference).order_by("pk").first()
    return None


class ResolveIncidentsForm(forms.Form):
    resolution_notes = forms.CharField(
        label=_("Resolution notes"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


def bootstrapify(form):
    # Problem filters are short multi-selects; three rows keep the panel compact.
    return _bootstrapify(form, multiple_select_size=3)
