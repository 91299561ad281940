"""The incident row's reads without descriptors, its choices by look-up, the fields' check kept
per class, and RowsWith's direct instances (issue 12, ninth round): the same answers as before."""

import pytest
from django.test.utils import isolate_apps
from rest_framework.test import APIRequestFactory

from core.api.serializers import choice_value, choices_by_number, choices_by_text
from core.selects import fetch
from incidents.api import rows as api_rows
from incidents.api.serializers import INCIDENT_ROW_FIELDS, IncidentSerializer
from incidents.api.views import incident_queryset
from incidents.models import Incident
from incidents.tests.test_api_representation import NOW, _loaded, generic_data, world  # noqa: F401
from sla.api.serializers import SLAClockSerializer

pytestmark = pytest.mark.django_db


def _both(rows, user, monkeypatch):
    request = APIRequestFactory().get("/api/v1/incidents/")
    request.user = user
    fast = IncidentSerializer(rows, many=True, context={"request": request, "_sla_calendars": {"_now": NOW}}).data
    generic = generic_data(IncidentSerializer, rows, {"request": request, "_sla_calendars": {"_now": NOW}},
                           monkeypatch)
    return fast, generic


def test_instances_the_row_cannot_read_directly_answer_through_their_attributes(world, monkeypatch):
    """A deferred column, relations not loaded, a proxy's instance: read by their attributes (the
    descriptors load what is missing), the same answer as DRF's."""
    user = world["agent"]
    ids = world["ids"][:3]
    deferred = list(Incident.objects.defer("title", "created_at").filter(pk__in=ids).order_by("id"))
    assert "title" not in deferred[0].__dict__ and not deferred[0]._state.fields_cache
    fast, generic = _both(deferred, user, monkeypatch)
    assert fast == generic and fast[0]["title"] == "Major"

    # In a registry of its own: a proxy left in the project's would be one more ticket type for
    # every later test in the process (the service report's UNION ALL read every ticket twice).
    with isolate_apps("incidents"):
        class Shown(Incident):
            class Meta:
                proxy = True
                app_label = "incidents"

        proxied = list(Shown.objects.select_related("caller", "assigned_to", "category", "subcategory", "parent")
                       .filter(pk__in=ids).order_by("id"))
    fast, generic = _both(proxied, user, monkeypatch)
    assert fast == generic and fast[0]["category"] == "network"


def test_a_required_relation_cached_as_nothing_answers_as_its_descriptor_does(world, monkeypatch):
    """The caller's descriptor refuses a required relation cached as None: the row reads it by
    its attribute, and DRF's path answers."""
    user = world["agent"]
    rows = list(incident_queryset(user, reading=True).filter(pk__in=world["ids"][:2]).order_by("id"))
    rows[0]._state.fields_cache["caller"] = None
    fast, generic = _both(rows, user, monkeypatch)
    assert fast == generic


@pytest.mark.parametrize("name", [name for name, kind in INCIDENT_ROW_FIELDS if kind.__name__ == "ChoiceField"]
                         + ["kind", "state"])
def test_choices_by_look_up_are_choice_value_s(name):
    fields = SLAClockSerializer().fields if name in ("kind",) else IncidentSerializer().fields
    field = fields[name]
    choices, slow = field.choice_strings_to_values, field.to_representation
    texts = [*choices, "", " ", "nope", "1", "-1", "01", "-0", "١", "NEW", "new "]
    by_text = choices_by_text(field)
    for text in texts:
        assert by_text(text, text) == choice_value(text, choices, slow), text
    by_number = choices_by_number(field)
    for number in [-2, -1, 0, 1, 2, 3, 4, 5, 6, 10 ** 20]:
        assert by_number(number, number) == choice_value(number, choices, slow), number


def test_the_fields_check_follows_the_settings(world, monkeypatch, settings):
    """The check that a serializer's fields are as written is kept per class; a changed setting
    (another datetime format) forgets it, and the rows answer DRF's way in that format."""
    user = world["agent"]
    rows = list(incident_queryset(user, reading=True).filter(pk__in=world["ids"]).order_by("id"))
    fast, generic = _both(rows, user, monkeypatch)
    assert fast == generic
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DATETIME_FORMAT": "%Y-%m-%d"}
    fast, generic = _both(rows, user, monkeypatch)
    assert fast == generic and len(fast[0]["created_at"]) == 10
    for row in fast:
        assert all(len(clock["started_at"]) == 10 for clock in row["slas"])


def test_the_direct_read_builds_what_the_generic_read_builds(world):
    statement = api_rows._statement("id")
    assert statement.direct_relations is not None
    ids = world["ids"] + [10 ** 9]
    direct = statement.read(ids)
    generic = statement._read(fetch(statement.sql, [ids]), len(statement.columns))
    assert [_loaded(row) for row in direct] == [_loaded(row) for row in generic] and len(direct) == 4
    for rows in (direct, generic):  # a user on two relations is one instance
        major = next(row for row in rows if row.title == "Major")
        assert major.assigned_to is not None and major.caller is not None
    assert [row.__dict__.keys() for row in direct] == [row.__dict__.keys() for row in generic]


@pytest.mark.parametrize("who", ["agent", "soc"])
@pytest.mark.parametrize("webhook", [False, True])
def test_listed_rows_answer_as_their_instances(world, who, webhook, monkeypatch):
    """A list's rows written from their values, without instances (api_rows.ListedIncident, issue
    12, tenth round): DRF's answer of the instances. A security incident, a required relation
    missing and a webhook's context are answered from the instance."""
    request = APIRequestFactory().get("/api/v1/incidents/")
    request.user = world[who]
    context = {"request": request, "_sla_calendars": {"_now": NOW}, **({"webhook": True} if webhook else {})}
    built = []
    incident = api_rows.ListedIncident.incident
    monkeypatch.setattr(api_rows.ListedIncident, "incident",
                        lambda item: built.append(item.row[0]) or incident(item))
    ids = world["ids"]
    listed = api_rows.listed_by_id(ids + [10 ** 9])
    assert sorted(listed) == sorted(ids)
    instances = api_rows.incidents_by_id(ids)
    fast = IncidentSerializer([listed[pk] for pk in ids], many=True, context=context).data
    generic = generic_data(IncidentSerializer, [instances[pk] for pk in ids], context, monkeypatch)
    assert fast == generic
    assert built == (ids if webhook else [ids[3]])  # the security incident, last

    # A required relation missing (the caller): the instance's answer, DRF's.
    built.clear()
    bare = api_rows.listed_by_id([ids[2]])[ids[2]]
    bare.related[0] = None
    instance = api_rows.incidents_by_id([ids[2]])[ids[2]]
    instance._state.fields_cache["caller"] = None
    fast = IncidentSerializer([bare], many=True, context=context).data
    assert fast == generic_data(IncidentSerializer, [instance], context, monkeypatch) and built == [ids[2]]


def test_a_list_page_is_written_without_instances(world, monkeypatch):
    """The API list's page (IncidentViewSet.page_rows) builds no instance for its rows, but the
    security incident's, which the security group sees."""
    from conftest import _api_client

    built = []
    incident = api_rows.ListedIncident.incident
    monkeypatch.setattr(api_rows.ListedIncident, "incident",
                        lambda item: built.append(item.row[0]) or incident(item))
    for who, expected in (("agent", []), ("soc", [world["ids"][3]])):
        built.clear()
        response = _api_client(world[who]).get("/api/v1/incidents/")
        assert response.status_code == 200 and len(response.json()["results"]) >= 3
        assert built == expected
