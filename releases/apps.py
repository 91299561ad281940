from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Release management")

    def ready(self):
        from core import navigation

        navigation.register("releases", _("Releases"), "releases:release_list", order=60)

        from core import demo
        from releases import demo as releases_demo

        demo.register("releases", releases_demo.seed, after=("accounts", "changes"))
        from releases import history

        history.register()
        from changes import calendar
        from releases import selectors

        calendar.register("releases", selectors.releases_for_calendar)
