"""`Change.impacted_services`: a `bigint[]` of business service ids and the array lookups
conflict detection and the API filters rely on."""

import pytest
from django.db import connection

from changes.models import Change
from changes.tests.factories import make_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(requester):
    made = {}
    for name, ids in {"empty": [], "one": [5], "two": [5, 7], "other": [9]}.items():
        change = make_change(requester, title=name)
        Change.objects.filter(pk=change.pk).update(impacted_services=ids)
        made[name] = change.pk
    return made


@pytest.mark.parametrize("lookup,value,expected", [
    ("exact", [], {"empty"}),
    ("exact", [5, 7], {"two"}),
    ("contains", [5], {"one", "two"}),
    ("contains", [5, 7], {"two"}),
    ("contains", [], {"empty", "one", "two", "other"}),
    ("overlap", [7, 9], {"two", "other"}),
    ("overlap", [], set()),
    ("contained_by", [5, 9], {"empty", "one", "other"}),
    ("len", 2, {"two"}),
    ("len__gte", 1, {"one", "two", "other"}),
])
def test_lookups(lists, lookup, value, expected):
    found = Change.objects.filter(pk__in=lists.values(), **{f"impacted_services__{lookup}": value})
    names = {name for name, pk in lists.items() if pk in set(found.values_list("pk", flat=True))}
    assert names == expected


def test_round_trip(lists):
    assert Change.objects.get(pk=lists["two"]).impacted_services == [5, 7]
    assert list(Change.objects.filter(pk=lists["one"]).values_list("impacted_services", flat=True)) == [[5]]
    column = Change._meta.get_field("impacted_services").db_type(connection)
    assert column == "bigint[]"
