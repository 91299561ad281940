from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "mailin"
    verbose_name = _("Mail in")
