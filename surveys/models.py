"""Records of satisfaction surveys."""

from django.db import models  # noqa: F401
