"""What every ticket serializer shares."""

from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField


# Relations generated from the model are looked up in what the caller may see (core.api.fields):
# a 400 never confirms that an invisible record exists. Relations a serializer declares itself
# use VisiblePrimaryKeyRelatedField / VisibleSlugRelatedField; tests/test_relation_fields.py
# holds every API serializer to it. (No docstring: it would become every schema's description
# in the OpenAPI document.)
class VisibleRelationsSerializer(serializers.ModelSerializer):
    serializer_related_field = VisiblePrimaryKeyRelatedField


class TicketSerializer(VisibleRelationsSerializer):
    pass
