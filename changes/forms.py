"""Agent desk forms for changes. save() has no side effects: views call the services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from changes.choices import ChangeState, ChangeType, Decision, Outcome
from changes.models import Change, ChangeTemplate
from changes.risk import QUESTIONS
from cmdb.models import ConfigurationItem
from core.web import bootstrapify  # noqa: F401  (re-exported for views)
from core.pickers import PickerListInput, use_picker
from core.web import parse_id

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class CIListField(forms.CharField):
    """Affected CIs typed as ids or exact names, comma separated (the CMDB is too big for a select)."""

    def clean(self, value):
        value = super().clean(value)
        tokens = [t.strip() for t in (value or "").split(",") if t.strip()]
        ids = {parse_id(t) for t in tokens} - {None}
        names = [t for t in tokens if parse_id(t) is None]
        found = list(ConfigurationItem.objects.filter(Q(pk__in=ids) | Q(name__in=names)).only("id", "name"))
        missing = (ids - {c.pk for c in found}) | {n for n in names if n not in {c.name for c in found}}
        if missing:
            raise forms.ValidationError(_("Unknown configuration items: %(items)s.")
                                        % {"items": ", ".join(sorted(str(m) for m in missing))})
        return found


class IncidentNumbersField(forms.CharField):
    """Incidents typed as numbers (INC0001001), comma separated."""

    def clean(self, value):
        from incidents.models import Incident

        value = super().clean(value)
        numbers = {t.strip().upper() for t in (value or "").split(",") if t.strip()}
        found = list(Incident.objects.filter(number__in=numbers).only("id", "number"))
        missing = numbers - {i.number for i in found}
        if missing:
            raise forms.ValidationError(_("Unknown incidents: %(items)s.") % {"items": ", ".join(sorted(missing))})
        return found


class ChangeForm(forms.ModelForm):
    affected_cis_text = CIListField(label=_("Affected CIs"), required=False, widget=PickerListInput("ci"),
                                    help_text=_("CI names, separated by commas: type a few letters and pick."))
    caused_incidents_text = IncidentNumbersField(label=_("Caused incidents"), required=False,
                                                 help_text=_("Incidents this change caused (numbers, comma "
                                                             "separated)."))

    class Meta:
        model = Change
        fields = ["title", "type", "template", "description", "planned_start", "planned_end", "implementation_plan",
                  "backout_plan", "test_plan", "emergency_reason", "assignment_group", "assigned_to"]
        widgets = {
            "planned_start": DateTimeLocalInput(), "planned_end": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "implementation_plan": forms.Textarea(attrs={"rows": 3}),
            "backout_plan": forms.Textarea(attrs={"rows": 3}), "test_plan": forms.Textarea(attrs={"rows": 3}),
            "emergency_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChangeTemplate.objects.filter(active=True)
        self.fields["template"].help_text = _("Choosing a template makes this a pre-approved standard change.")
        use_picker(self, "assigned_to", "agent")
        self.fields["assignment_group"].queryset = Team.objects.all()
        for name in ("planned_start", "planned_end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        if self.instance.pk:
            self.fields.pop("template")
            self.fields["affected_cis_text"].initial = ", ".join(
                c.name for c in self.instance.affected_cis.all()[:200])
            self.fields["caused_incidents_text"].initial = ", ".join(
                i.number for i in self.instance.caused_incidents.all())
        else:
            self.fields.pop("caused_incidents_text")
        bootstrapify(self)

    def _post_clean(self):
        # Validation of the whole record is the service's job (it knows the state); keep
        # the form to field parsing and the window order.
        start, end = self.cleaned_data.get("planned_start"), self.cleaned_data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The planned window ends before it starts: the end must be after "
                                            "the start."))

    def changes(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        if not data.get("template"):
            data.pop("template", None)
        return data


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Move to"), choices=ChangeState.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=5000)


YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class RiskForm(forms.Form):
    def __init__(self, *args, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        for question in QUESTIONS:
            current = initial_answers.get(question.key)
            self.fields[question.key] = forms.ChoiceField(
                label=question.text, choices=YES_NO, required=True,
                initial="" if current is None else ("yes" if current else "no"))
        bootstrapify(self)

    def answers(self):
        return {key: value == "yes" for key, value in self.cleaned_data.items()}


class PIRForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons_learned = forms.CharField(label=_("Lessons learned"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_actions = forms.CharField(label=_("Follow-up actions"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(label=_("View"), choices=[("month", _("Month")), ("week", _("Week"))],
                             required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ModelChoiceField(label=_("Business service"), required=False,
                                     queryset=ConfigurationItem.objects.none())
    group = forms.ModelChoiceField(label=_("Group"), required=False, queryset=Team.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        bootstrapify(self)


TYPE_CHOICES = ChangeType.choices
