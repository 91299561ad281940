"""Issue 10, defect 2: every relation an API serializer writes is looked up in what the caller may
see (core.api.fields), so that an invisible id answers exactly like a missing one. Found from the
URLconf: a new endpoint or field is held to it without editing this test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField

VISIBLE = (VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField)


def _api_views(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None:
                yield route, cls


def _serializer_classes():
    found = {}
    for route, cls in _api_views():
        serializer_class = getattr(cls, "serializer_class", None)
        if serializer_class is not None:
            found.setdefault(serializer_class, route)
    return found


def _writable_relations(serializer, path=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            yield f"{path}{name}", field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield f"{path}{name}", field
        elif isinstance(field, serializers.ListSerializer):
            yield from _writable_relations(field.child, f"{path}{name}[].")
        elif isinstance(field, serializers.Serializer):
            yield from _writable_relations(field, f"{path}{name}.")


def test_the_api_has_serializers_with_relations_to_check():
    names = {cls.__name__ for cls in _serializer_classes()}
    assert {"IncidentSerializer", "ProblemSerializer", "ChangeSerializer", "ReleaseSerializer",
            "ConfigurationItemSerializer", "RelationshipSerializer", "SLADefinitionSerializer",
            "TeamSerializer", "MeSerializer", "FreezeWindowSerializer"} <= names


@pytest.mark.parametrize("serializer_class", sorted(_serializer_classes(), key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_every_writable_relation_is_looked_up_in_what_the_caller_may_see(serializer_class):
    plain = [f"{name} ({type(field).__name__})" for name, field in _writable_relations(serializer_class())
             if not isinstance(field, VISIBLE)]
    assert plain == [], f"{serializer_class.__name__}: use core.api.fields for {plain}"
