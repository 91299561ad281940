from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SLAConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service level management")

    def ready(self):
        from core import navigation

        navigation.register("sla", _("Service levels"), "sla:dashboard", group="services", order=20)

        from core import events, memo
        from sla import escalations, hooks
        from sla.models import BusinessCalendar, CalendarException, SLADefinition, SLATarget, WorkingInterval

        # The engine keeps the active definitions in each process (sla.engine.active_definitions).
        memo.watch(SLADefinition, SLATarget, BusinessCalendar, WorkingInterval, CalendarException)

        events.on("*.creating")(hooks.ticket_creating)
        events.on("*.created")(hooks.ticket_created)
        events.on("*.updated")(hooks.ticket_changed)
        events.on("*.commented")(hooks.ticket_commented)
        # Escalations and their mail and webhooks leave through the outbox: retried, dead-lettered.
        for name in ("sla.warning", "sla.breached"):
            events.after_commit(name, key="sla.escalate", when=lambda e: e.data.get("escalations"), batch=True)(
                escalations.run_for_events)
        events.after_commit("sla.escalated", key="sla.escalation_mail", notifies=True,
                            when=lambda e: bool(e.data.get("recipients")))(escalations.send_mail)
        events.after_commit("sla.escalated", key="sla.escalation_webhook", notifies=True,
                            when=lambda e: e.data.get("action") == "webhook")(escalations.call_webhook)
        from core import demo
        from sla import demo as sla_demo

        demo.register("sla", sla_demo.seed, after=("accounts",), finish=sla_demo.finish)
        from sla import history

        history.register()
