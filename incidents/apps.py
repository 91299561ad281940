from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident management")

    def ready(self):
        from core import navigation

        navigation.register("incidents", _("Incidents"), "incidents:incident_list", order=10)

        from accounts.models import Team
        from core import events, memo
        from incidents import notifications
        from incidents.models import AssignmentRule

        # incidents.services.active_rules keeps the routing rules (and their teams) in each process.
        memo.watch(AssignmentRule, Team)
        # The desk forms' categories are kept per process (core.choices_memo).
        from incidents.models import Category

        memo.watch(Category, key=memo.REFERENCE)

        for kind in notifications.NOTIFICATION_KINDS:
            events.after_commit(f"incident.{kind}", key=f"incidents.notify.{kind}",
                                 notifies=True)(notifications.notify)
        from core import demo
        from incidents import demo as incidents_demo

        demo.register("incidents", incidents_demo.seed, after=("accounts", "cmdb", "sla"))
        from incidents.models import Incident
        from sla import queues

        # The SLA dashboard's cards link to these queues and count with the same definitions.
        from core import evidence

        # ISO/IEC 20000-1 8.7.3: the information security incidents and who was told about them.
        evidence.register("8.7.3", "incidents.Incident", date_field="created_at",
                          label=_("Information security incidents"),
                          queryset=lambda: Incident.objects.filter(is_security=True))
        evidence.register("8.7.3", "incidents.SecurityNotification", date_field="notified_at",
                          label=_("Security incident notifications"))
        queues.register_list_page(Incident, "incidents:incident_list", breaching_soon="queue=breaching",
                                  breached_open="queue=breached", running="queue=all&sla=running",
                                  paused="queue=all&sla=paused")
