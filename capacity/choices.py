from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    OK = "ok", _("Normal")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


LEVEL_BADGES = {Level.OK: "success", Level.WARNING: "warning", Level.CRITICAL: "danger"}
