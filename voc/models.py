"""Records of voice of the customer."""

from django.db import models  # noqa: F401
