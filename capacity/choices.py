from django.db import models
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    # A context: the root catalogue's "Normal" is the change type (일반 변경).
    OK = "ok", pgettext_lazy("capacity level", "Normal")
    WARNING = "warning", pgettext_lazy("capacity level", "Warning")
    CRITICAL = "critical", pgettext_lazy("capacity level", "Critical")


LEVEL_BADGES = {Level.OK: "success", Level.WARNING: "warning", Level.CRITICAL: "danger"}
