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


URL_PK_MARK = 987654321987654321
_url_parts = {}


def url_with_pk(viewname, pk):
    """reverse(viewname, args=[pk]) for a route whose only argument is an `<int:pk>`: reversed once
    per route, URL configuration and script prefix, then the pk put in (issue 12, third round:
    reverse() for every row was a tenth of an API list's serializing)."""
    from django.urls import get_script_prefix, get_urlconf, reverse

    key = (viewname, get_urlconf(), get_script_prefix())
    parts = _url_parts.get(key)
    if parts is None:
        parts = _url_parts[key] = reverse(viewname, args=[URL_PK_MARK]).split(str(URL_PK_MARK))
    return f"{parts[0]}{int(pk)}{parts[1]}" if len(parts) == 2 else reverse(viewname, args=[pk])


class RecordUrlField(serializers.CharField):
    """A record's page (`get_absolute_url()`), for a model whose get_absolute_url is
    reverse(`viewname`, args=[pk]) (a test holds them equal)."""

    def __init__(self, viewname, **kwargs):
        self.viewname = viewname
        kwargs.setdefault("source", "get_absolute_url")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return url_with_pk(self.viewname, instance.pk)
