"""Records of mail in."""

from django.db import models  # noqa: F401
