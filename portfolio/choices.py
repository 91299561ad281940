"""The life cycle of a service in the portfolio, with its badge colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


BADGES = {Lifecycle.PIPELINE: "info", Lifecycle.LIVE: "success", Lifecycle.RETIRED: "dark"}
