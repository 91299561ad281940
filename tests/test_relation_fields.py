"""Issue 10, defect 2: every relation an API serializer writes is looked up in what the caller may
see (core.api.fields), so that an invisible id answers exactly like a missing one. Found from the
URLconf: a new endpoint or field is held to it without editing this test."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import serializers

from core.api.fields import VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField
from tests.authz_world import world  # noqa: F401  (the module-scoped records)

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


pytestmark = pytest.mark.django_db


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


# --- probing: an invisible id answers byte for byte like a missing one -------------------------

def _writes(records):
    """(method, url, serializer class) of every create endpoint and of end user A's incident."""
    for route, cls in _api_views():
        serializer_class = getattr(cls, "serializer_class", None)
        if serializer_class is not None and route.endswith("^$") and "post" in _actions(cls, route):
            yield "POST", route, serializer_class
    from incidents.api.serializers import IncidentSerializer

    yield "PATCH", reverse("incident-detail", args=[records["incident_a"].pk]), IncidentSerializer


def _actions(cls, route):
    for pattern_route, pattern in _patterns_by_route().items():
        if pattern_route == route:
            return getattr(pattern.callback, "actions", {}) or {}
    return {}


def _patterns_by_route(patterns=None, prefix=""):
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.update(_patterns_by_route(pattern.url_patterns, route))
        else:
            found[route] = pattern
    return found


def _url(route):
    return "/" + route.replace("^", "").replace("$", "")


def _probe_values(field, user):
    """An existing record the user may not see (else any existing one) and a missing one, as the
    field writes them."""
    everything = field.queryset
    unseen = everything
    if hasattr(everything, "visible_to"):
        unseen = everything.exclude(pk__in=everything.visible_to(user).values("pk")) or everything
    record = unseen.order_by("pk").last()
    if record is None:
        return None
    if isinstance(field, serializers.SlugRelatedField):
        return str(getattr(record, field.slug_field)), "no-such-record"
    return record.pk, everything.model._default_manager.order_by("pk").last().pk + 1000


def test_an_invisible_id_reads_exactly_like_a_missing_one_in_every_relation(world):
    users, records = world
    end_user = users["end_user_a"]
    client = Client()
    client.force_login(end_user)
    differ, probed = [], 0
    for method, route, serializer_class in _writes(records):
        url = route if route.startswith("/") else _url(route)
        for name, field in _writable_relations(serializer_class()):
            if "." in name or "[]" in name:
                continue  # nested writes are probed through their parent's own tests
            values = _probe_values(field, end_user)
            if values is None:
                continue
            answers = []
            for value in values:
                sent = [value] if isinstance(serializer_class().fields[name], serializers.ManyRelatedField) \
                    else value
                with transaction.atomic():
                    response = client.generic(method, url, json.dumps({name: sent}),
                                              content_type="application/json")
                    transaction.set_rollback(True)
                answers.append((response.status_code, response.content.decode().replace(str(value), "<id>")))
            probed += 1
            if answers[0] != answers[1]:
                differ.append(f"{method} {url} {name}: invisible {answers[0]} ≠ missing {answers[1]}")
    assert probed >= 20  # the walk found the relations (incidents, problems, changes, releases, CMDB, SLA)
    assert differ == [], "\n".join(differ)
