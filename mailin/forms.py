from django import forms
from django.utils.translation import gettext_lazy as _

from core.web import bootstrapify
from mailin.choices import MessageState
from mailin.models import Mailbox


class MailboxForm(forms.ModelForm):
    imap_password = forms.CharField(label=_("IMAP password"), required=False, strip=False,
                                    widget=forms.PasswordInput(render_value=False),
                                    help_text=_("Leave empty to keep the stored password."))

    class Meta:
        model = Mailbox
        fields = ["name", "address", "opens", "voc_kind", "catalog_item", "default_group", "unknown_senders", "active",
                  "imap_host", "imap_port", "imap_ssl", "imap_user", "imap_password", "imap_folder",
                  "processed_action", "processed_folder"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_password = self.instance.imap_password if self.instance.pk else ""
        bootstrapify(self)

    def clean_imap_password(self):
        return self.cleaned_data.get("imap_password") or self._stored_password


class MessageFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any state")), *MessageState.choices])
    mailbox = forms.ModelChoiceField(label=_("Mailbox"), required=False, queryset=Mailbox.objects.all(),
                                     empty_label=_("Any mailbox"))
    sender = forms.CharField(label=_("Sender"), required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
