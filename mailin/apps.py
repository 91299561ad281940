"""E-mail in: mailboxes polled over IMAP or piped by an MTA (ingest_email), parsed and threaded onto tickets."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    name = "mailin"
    verbose_name = _("Mail in")

    def ready(self):
        from accounts import roles
        from core import demo, events, navigation

        navigation.register("mail", _("Mailboxes"), "mailin:mailbox_list", group="admin", order=10,
                            visible=roles.is_admin)
        from mailin import demo as mailin_demo
        from mailin import notifications, services

        events.after_commit(services.REFUSED_EVENT, key="mailin.reply_refused", notifies=True)(
            notifications.reply_refused)
        from django.db.models.signals import post_delete, post_save

        from mailin.models import Mailbox

        post_save.connect(services.forget_own_addresses, sender=Mailbox, dispatch_uid="mailin.own_addresses")
        post_delete.connect(services.forget_own_addresses, sender=Mailbox, dispatch_uid="mailin.own_addresses_del")
        demo.register("mailin", mailin_demo.seed, after=("accounts", "incidents", "fulfilment"))
