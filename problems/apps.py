from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Problem management")

    def ready(self):
        from core import navigation

        navigation.register("problems", _("Problems"), "problems:problem_list", order=40)

        from core import demo
        from problems import demo as problems_demo

        demo.register("problems", problems_demo.seed, after=("accounts", "incidents"))
