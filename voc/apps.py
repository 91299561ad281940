"""Voice of the customer: complaints, suggestions, compliments and inquiries (VOC…)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VocConfig(AppConfig):
    name = "voc"
    verbose_name = _("Voice of the customer")

    def ready(self):
        from core import demo, events, navigation

        navigation.register("voc", pgettext_lazy("navigation", "VOC"), "voc:list", group="improve", order=20)
        from voc import demo as voc_demo
        from voc import notifications

        events.after_commit("voc.responded", key="voc.notify.responded", notifies=True)(notifications.responded)
        events.after_commit("voc.escalated", key="voc.notify.escalated", notifies=True)(notifications.escalated)
        demo.register("voc", voc_demo.seed, after=("accounts", "cmdb", "incidents"))
