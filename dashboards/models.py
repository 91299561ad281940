"""Records of dashboards."""

from django.db import models  # noqa: F401
