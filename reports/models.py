"""Records of service reports."""

from django.db import models  # noqa: F401
