from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils import translation
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


class LoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.has_expired():
            from accounts.middleware import expired_message

            raise forms.ValidationError(expired_message(user), code="expired")


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


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request; the mail goes out in the language its reader chose (else the page's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"class": "form-control", "autofocus": True})

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        with translation.override(getattr(context.get("user"), "language", "") or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
