"""Defaults of availability measurement (used for services without their own settings row)."""

from decimal import Decimal

DEFAULT_TARGET_PERCENT = Decimal("99.5")
DEFAULT_WARNING_PERCENT = Decimal("99.7")
