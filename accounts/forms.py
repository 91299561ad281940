from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User

NOTIFICATION_KINDS = [
    ("created", _("A ticket I raised was created")),
    ("assigned", _("A ticket was assigned to me or my group")),
    ("commented", _("Someone commented on my ticket")),
    ("resolved", _("My ticket was resolved")),
    ("reopened", _("A ticket I work on was reopened")),
    ("sla", _("SLA warnings and breaches")),
]


class ProfileForm(forms.ModelForm):
    notifications = forms.MultipleChoiceField(
        label=_("E-mail me when"), choices=NOTIFICATION_KINDS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "phone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted_notifications or [])
        self.fields["notifications"].initial = [kind for kind, _label in NOTIFICATION_KINDS if kind not in muted]
        self.fields["language"].choices = [("", _("As set in the browser")), *settings.LANGUAGES]
        for name, field in self.fields.items():
            if name != "notifications":
                field.widget.attrs.setdefault("class", "form-select" if name == "language" else "form-control")

    def profile_changes(self):
        """What accounts.services.update_profile needs: the fields, with the kinds not chosen muted."""
        chosen = set(self.cleaned_data["notifications"])
        changes = {name: self.cleaned_data[name] for name in self._meta.fields}
        changes["muted_notifications"] = [kind for kind, _label in NOTIFICATION_KINDS if kind not in chosen]
        return changes


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. monitoring bridge")})}
