"""Forms of surveys: the answer (score, comment, the administrator's optional questions), a
periodic survey, closing a follow-up, the settings and questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cmdb.models import ConfigurationItem
from core.web import bootstrapify
from surveys.models import QuestionKind, SurveyQuestion, SurveySetting, TicketType

SCORE_CHOICES = [(5, _("5 · Very satisfied")), (4, _("4 · Satisfied")), (3, _("3 · Neutral")),
                 (2, _("2 · Dissatisfied")), (1, _("1 · Very dissatisfied"))]


def radios(form):
    """Radio buttons look like radio buttons (bootstrapify gives every other widget form-control)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
    return form


class AnswerForm(forms.Form):
    """The score is a plain value here: surveys.rules.parse_score refuses 0, 6 or "five" with its
    own message (the service checks it again)."""

    score = forms.CharField(label=_("How satisfied are you?"), widget=forms.RadioSelect(choices=SCORE_CHOICES))
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            label = question.display_text()
            if question.kind == QuestionKind.SCALE:
                field = forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                          choices=[(str(s), str(s)) for s in range(1, 6)])
            elif question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                          choices=[("yes", _("Yes")), ("no", _("No"))])
            else:
                field = forms.CharField(label=label, required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[name] = field
        radios(bootstrapify(self))

    def question_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self):
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all(),
                                          required=False, empty_label=_("Every organisation"))
    service = forms.ModelChoiceField(label=_("Service"), required=False, empty_label=_("Every service"),
                                     queryset=ConfigurationItem.objects.all().order_by("name"))
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end (exclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=10000, initial=50)
    seed = forms.CharField(label=_("Seed"), max_length=64, initial="2026",
                           help_text=_("The same seed draws the same people again."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        bootstrapify(self)


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class SettingForm(forms.ModelForm):
    ticket_types = forms.MultipleChoiceField(label=_("Ticket types"), choices=TicketType.choices,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = SurveySetting
        fields = ["name", "ticket_types", "services", "sampling_percent", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = ConfigurationItem.objects.business_services().order_by("name")
        bootstrapify(self, multiple_select_size=6)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["text", "text_ko", "kind", "position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
