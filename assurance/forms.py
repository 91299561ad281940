"""Forms of the desk pages. They validate input only; views hand cleaned data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.roles import DESK_ROLES
from assurance.choices import ActionState, CertificationKind, FindingKind
from core import clauses
from core.web import bootstrapify

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _staff():
    return User.objects.filter(is_active=True, groups__name__in=DESK_ROLES).distinct().order_by("display_name",
                                                                                                "username")


class _Bootstrap(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, multiple_select_size=8)


class AuditForm(_Bootstrap):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.MultipleChoiceField(label=_("Clauses in scope"), choices=clauses.choices)
    processes = forms.CharField(label=_("Audited processes"), max_length=300, required=False)
    audited_teams = forms.ModelMultipleChoiceField(label=_("Audited teams"), queryset=Team.objects.order_by("name"),
                                                   required=False, help_text=_(
                                                       "The teams that own the audited processes."))
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    lead_auditor = forms.ModelChoiceField(label=_("Lead auditor"), queryset=User.objects.none())
    independence_note = forms.CharField(label=_("Independence note"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_auditor"].queryset = _staff()


class AuditTransitionForm(_Bootstrap):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ChoiceField(label=_("Move to"), choices=())
    performed_date = forms.DateField(label=_("Performed date"), required=False, widget=DATE)
    summary = forms.CharField(label=_("Report summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = list(allowed)


class FindingForm(_Bootstrap):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    clauses = forms.MultipleChoiceField(label=_("Clauses"), choices=clauses.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_records = forms.CharField(label=_("Evidence records"), required=False, max_length=1000,
                                       help_text=_("Record numbers separated by commas (INC0001234, CHG0000042)."))
    owner = forms.ModelChoiceField(label=_("Corrective action owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Corrective action due"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()

    def clean_evidence_records(self):
        return [part.strip() for part in self.cleaned_data["evidence_records"].split(",") if part.strip()]


class FindingCloseForm(_Bootstrap):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    closure_note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(_Bootstrap):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False)
    attendees = forms.CharField(label=_("Attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    risks = forms.CharField(label=_("Risks"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_(
        "One risk per line: risk | rating | treatment."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _staff()

    def clean_risks(self):
        risks = []
        for line in self.cleaned_data["risks"].splitlines():
            parts = [p.strip() for p in line.split("|")]
            if parts and parts[0]:
                risks.append({"risk": parts[0], "rating": parts[1] if len(parts) > 1 else "",
                              "treatment": parts[2] if len(parts) > 2 else ""})
        return risks

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ReviewActionForm(_Bootstrap):
    title = forms.CharField(label=_("Decision"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class ReviewActionStateForm(forms.Form):
    version = forms.IntegerField(required=False)
    state = forms.ChoiceField(choices=ActionState.choices)


class CertificationEventForm(_Bootstrap):
    kind = forms.ChoiceField(label=_("Kind"), choices=CertificationKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    body = forms.CharField(label=_("Certification body"), max_length=200, required=False)
    result = forms.CharField(label=_("Result"), max_length=200, required=False)
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    findings_closed_on = forms.DateField(label=_("Findings closed on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
