"""Forms every ticket type's desk page shares: the activity thread's comment form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.web import bootstrapify

INTERNAL = "internal"
PUBLIC = "public"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files (validated again by core.attachments on save)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DeskCommentForm(forms.Form):
    """A work note or a public reply, posted from a desk record page (templates/core/_comment_form.html).

    The work note is the default, also when a post names neither: a note meant for the desk must
    never reach a caller by accident, while a reply posted as a note can simply be posted again.
    """

    visibility = forms.ChoiceField(
        label=_("Post as"), choices=[(INTERNAL, _("Work note (internal)")), (PUBLIC, _("Public reply"))],
        initial=INTERNAL, required=False, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, allow_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_files:
            del self.fields["files"]
        bootstrapify(self)

    @property
    def internal(self):
        return self.cleaned_data.get("visibility") != PUBLIC

    def selected(self):
        """The tab to show selected: what was posted (a refused post keeps its choice), else the note."""
        value = self["visibility"].value() if self.is_bound else None
        return PUBLIC if value == PUBLIC else INTERNAL
