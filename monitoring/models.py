"""Records of event management."""

from django.db import models  # noqa: F401
