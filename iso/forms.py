from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import clauses
from core.web import bootstrapify
from iso import rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PackForm(forms.Form):
    clauses = forms.MultipleChoiceField(label=_("Clauses"), required=False, choices=clauses.choices,
                                        help_text=_("None chosen: every clause."))
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    sample_size = forms.IntegerField(label=_("Sample size per clause"), min_value=rules.MIN_SAMPLE,
                                     max_value=rules.MAX_SAMPLE, initial=25)
    seed = forms.CharField(label=_("Seed"), required=False, max_length=64,
                           help_text=_("The same seed gives the same sample. Empty: a new random seed."))
    language = forms.ChoiceField(label=_("Index language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].widget.attrs["size"] = 8
        bootstrapify(self)
