"""Relation fields that never confirm a record the caller may not see.

A plain PrimaryKeyRelatedField answers "object does not exist" for a missing id but accepts an
id the caller cannot read, so a 400-versus-201 probe reveals that a desk-only record exists (and
lets an end user attach it). These fields look the id up in what the caller may see: an
invisible record answers exactly like a missing one.

Scoping: the declared `scope(queryset, user)` if given, else the queryset's own
`visible_to(user)` if it has one (tickets, CIs), else the queryset as given (teams, users).
"""

from rest_framework import serializers


def _scoped(field, queryset):
    request = field.context.get("request")
    if request is None or queryset is None:
        return queryset
    user = request.user
    if field.scope is not None:
        return field.scope(queryset, user)
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def __init__(self, *args, scope=None, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return _scoped(self, super().get_queryset())


class VisibleSlugRelatedField(serializers.SlugRelatedField):
    def __init__(self, *args, scope=None, **kwargs):
        self.scope = scope
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return _scoped(self, super().get_queryset())
