"""Which tickets an agreement applies to: validating and matching `applies_to` conditions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONDITION_KEYS = ("priorities", "services", "categories", "organisations", "assignment_groups", "suppliers")


def validate_definition_fields(definition):
    """Refuse conditions that can match nothing, bad pause states and thresholds."""
