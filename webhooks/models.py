"""Records of webhooks."""

from django.db import models  # noqa: F401
