"""Satisfaction surveys: after-resolution and periodic surveys, CSAT and the 100-point score."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from core import demo, events, navigation

        navigation.register("surveys", pgettext_lazy("navigation", "Satisfaction"), "surveys:overview", group="improve", order=10)
        from surveys import demo as surveys_demo
        from surveys import notifications, services

        # In the resolving transaction: the survey row exists exactly when the resolution does.
        events.on("incident.resolved")(services.on_ticket_resolved)
        events.on("request.resolved")(services.on_ticket_resolved)
        events.after_commit("survey.sent", key="surveys.notify.invitation", notifies=True)(
            notifications.send_invitation)
        demo.register("surveys", surveys_demo.seed, after=("accounts", "incidents", "fulfilment"))
