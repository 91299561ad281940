"""Records of continual improvement."""

from django.db import models  # noqa: F401
