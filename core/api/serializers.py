"""What every ticket serializer shares."""

import copy

from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField


# Relations generated from the model are looked up in what the caller may see (core.api.fields):
# a 400 never confirms that an invisible record exists. Relations a serializer declares itself
# use VisiblePrimaryKeyRelatedField / VisibleSlugRelatedField; tests/test_relation_fields.py
# holds every API serializer to it. (No docstring: it would become every schema's description
# in the OpenAPI document.)
class VisibleRelationsSerializer(serializers.ModelSerializer):
    serializer_related_field = VisiblePrimaryKeyRelatedField

    # ModelSerializer builds its fields from the model on every instance (field introspection,
    # choices, validators): a fifth of an API create (issue 12's profile). What it builds
    # depends on the class alone (Meta, declared fields; no subclass overrides get_fields), so
    # it is built once per class and each instance gets fresh fields made from it.
    def get_fields(self):
        template = type(self).__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            type(self)._fields_template = template
        return {name: _fresh(field) for name, field in template.items()}


def _fresh(field):
    """A new unbound field like `field`. DRF's deepcopy also copies every argument (choices,
    querysets...) which costs as much as building the field; the arguments are only read, so
    they are shared, except nested fields and serializers, which are bound to their parent."""
    if isinstance(field, serializers.BaseSerializer) or any(
            isinstance(value, serializers.Field) for value in field._kwargs.values()):
        return copy.deepcopy(field)
    return field.__class__(*field._args, **field._kwargs)


class TicketSerializer(VisibleRelationsSerializer):
    pass
