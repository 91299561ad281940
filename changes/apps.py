from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = _("Change management")

    def ready(self):
        from core import navigation

        navigation.register("changes", _("Changes"), "changes:change_list", order=50)

        from changes import demo as changes_demo
        from core import demo

        demo.register("changes", changes_demo.seed, after=("accounts", "cmdb"))
        from changes import history

        history.register()
        from changes import approval_inbox
        from core import approvals

        approvals.register("change", label=approval_inbox.LABEL, pending=approval_inbox.pending,
                           candidates_query=approval_inbox.candidates_query)
