"""Forms of the knowledge pages: the editor, review decisions, feedback and the list filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from changes.forms import CIListField
from core.pickers import PickerListInput
from core.web import bootstrapify
from knowledge.choices import ArticleState, Audience, Language
from knowledge.models import KnowledgeCategory

# A body this long is refused before it reaches the renderer (the 5 MB case): clear 400.
MAX_BODY = 200_000
MAX_TAGS = 20


class TagsField(forms.CharField):
    """Tags typed comma separated; stored as a list of short lower-case words."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        tags = []
        for token in (value or "").split(","):
            tag = " ".join(token.split()).lower()
            if tag and tag not in tags:
                if len(tag) > 50:
                    raise forms.ValidationError(_("A tag has at most 50 characters: “%(tag)s”.") % {"tag": tag[:60]})
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(count)s tags.") % {"count": MAX_TAGS})
        return tags


class ProblemNumbersField(forms.CharField):
    """Known errors typed as problem numbers (PRB0001001), comma separated."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(getattr(p, "number", str(p)) for p in value)
        return value

    def clean(self, value):
        from problems.models import Problem

        value = super().clean(value)
        numbers = {t.strip().upper() for t in (value or "").split(",") if t.strip()}
        found = list(Problem.objects.filter(number__in=numbers).only("id", "number"))
        missing = numbers - {p.number for p in found}
        if missing:
            raise forms.ValidationError(_("Unknown problems: %(items)s.") % {"items": ", ".join(sorted(missing))})
        return found


class ArticleForm(forms.Form):
    """The editor. Saving always writes a draft version (knowledge.services); `version` is the
    article's version the editor started from, so a concurrent save is refused (409), not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One or two sentences shown in search results."))
    body = forms.CharField(label=_("Body"), required=False, max_length=MAX_BODY, strip=False,
                           widget=forms.Textarea(attrs={"rows": 18, "class": "form-control font-monospace kb-editor-body"}),
                           help_text=_("Markdown: # heading, **bold**, - list, [link](https://…), ``` code ```."))
    category = forms.ModelChoiceField(label=_("Category"), queryset=KnowledgeCategory.objects.filter(active=True),
                                      required=False, empty_label=_("(none)"))
    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    organisations = forms.ModelMultipleChoiceField(label=_("Organisations"), queryset=Organisation.objects.all(),
                                                   required=False,
                                                   help_text=_("Only for the audience “Chosen organisations”."))
    services = CIListField(label=_("Services"), required=False, widget=PickerListInput("ci"),
                           help_text=_("Service names, separated by commas: type a few letters and pick."))
    configuration_items = CIListField(label=_("Configuration items"), required=False, widget=PickerListInput("ci"),
                                      help_text=_("CI names, separated by commas."))
    known_errors = ProblemNumbersField(label=_("Known errors"), required=False,
                                       help_text=_("Problem numbers, separated by commas."))
    review_at = forms.DateField(label=_("Review by"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("The owner is reminded on this date and the article flagged."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, multiple_select_size=4)

    def clean(self):
        data = super().clean()
        if data.get("audience") == Audience.ORGANISATIONS and not data.get("organisations"):
            self.add_error("organisations", _("Choose at least one organisation for this audience."))
        return data

    @staticmethod
    def initial_for(article, version=None):
        """The editor's starting values: the working version's text if there is one."""
        source = version or article
        return {
            "version": article.version, "title": source.title, "summary": source.summary, "body": source.body,
            "category": article.category_id, "tags": ", ".join(article.tags), "language": article.language,
            "audience": article.audience, "organisations": list(article.organisations.all()),
            "services": ", ".join(ci.name for ci in article.services.all()),
            "configuration_items": ", ".join(ci.name for ci in article.configuration_items.all()),
            "known_errors": ", ".join(p.number for p in article.known_errors.all()),
            "review_at": article.review_at.date() if article.review_at else None,
        }


class ReviewForm(forms.Form):
    """Submit, approve, send back, publish, retire: one POST with the action and an optional comment."""

    ACTIONS = ("submit", "approve", "send_back", "publish", "retire")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean(self):
        data = super().clean()
        if data.get("action") == "send_back" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what should change when sending an article back."))
        return data


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))],
                                     coerce=lambda v: v == "yes")
    comment = forms.CharField(label=_("Anything to add? (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ArticleFilterForm(forms.Form):
    """The desk list's filters (a value a field refuses is ignored and said so)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *ArticleState.choices])
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=KnowledgeCategory.objects.all(),
                                      empty_label=_("Any category"))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any language")),
                                                                               *Language.choices])
    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=[("", _("Any audience")),
                                                                               *Audience.choices])
    needs_review = forms.BooleanField(label=_("Needs review"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
