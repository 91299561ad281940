"""Desk pages read query parameters through form fields: odd input is a message or no match,
never a 500 (issue 10, defect 5). NUL bytes reached PostgreSQL (which refuses them in text) and
"²" passed str.isdigit() into int()."""

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from cmdb.tests.factories import make_ci
from core.choices import Channel

pytestmark = pytest.mark.django_db

NUL, SUPERSCRIPT_TWO, TOO_BIG = "a\x00b", "²", "99999999999999999999"
IGNORED = "was ignored"


@pytest.fixture
def desk(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def incident(agent, end_user):
    from incidents.services import open_incident

    return open_incident(actor=agent, channel=Channel.WEB, title="Mail down", caller=end_user)


@pytest.mark.parametrize("kind", ["person", "agent", "ci"])
def test_picker_lookups_with_a_nul_byte_list_nothing(desk, kind):
    make_ci("a-b-server")
    response = desk.get(reverse("core:picker_lookup", args=[kind]), {"q": NUL})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_known_error_search_with_a_nul_byte_says_it_was_ignored(desk):
    response = desk.get(reverse("problems:known_error_list"), {"q": NUL})
    assert response.status_code == 200
    assert IGNORED in response.content.decode()


@pytest.mark.parametrize("name, params", [
    ("incidents:service_suggestion", {"configuration_item": SUPERSCRIPT_TWO}),
    ("incidents:service_suggestion", {"configuration_item": TOO_BIG}),
    ("problems:known_error_list", {"incident": SUPERSCRIPT_TWO}),
    ("problems:problem_create", {"incidents": f"{SUPERSCRIPT_TWO},1"}),
    ("changes:change_create", {"template": SUPERSCRIPT_TWO}),
    ("sla:report", {"organisation": SUPERSCRIPT_TWO}),
    ("sla:service_report", {"service": SUPERSCRIPT_TWO}),
])
def test_a_unicode_digit_is_ignored(desk, name, params):
    response = desk.get(reverse(name), params)
    assert response.status_code == 200


def test_a_full_page_says_which_value_it_ignored(desk):
    response = desk.get(reverse("changes:change_create"), {"template": SUPERSCRIPT_TWO})
    assert "The value given for “template” was ignored" in response.content.decode()


def test_ci_impact_depth_out_of_range_falls_back(desk):
    ci = make_ci("core-switch")
    for depth in (SUPERSCRIPT_TWO, "x", "-3", TOO_BIG):
        response = desk.get(reverse("cmdb:ci_detail", args=[ci.pk]), {"depth": depth, "direction": NUL})
        assert response.status_code == 200 and response.context["impact_depth"] == 3


def test_affected_cis_typed_as_a_unicode_digit_is_an_unknown_ci(agent):
    from changes.forms import CIListField
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Unknown configuration items: ²"):
        CIListField().clean(SUPERSCRIPT_TWO)


def test_api_ticket_key_with_a_unicode_digit_is_404(agent_api):
    assert agent_api.get(f"/api/v1/incidents/{SUPERSCRIPT_TWO}/").status_code == 404


def test_api_known_errors_for_a_unicode_digit_incident_is_400(agent_api):
    response = agent_api.get("/api/v1/problems/known-errors/", {"incident": SUPERSCRIPT_TWO})
    assert response.status_code == 400 and response.json() == {"incident": ["Give an incident id."]}


# --- every desk page, every parameter the desk reads ----------------------------------------------

PARAMS = ["q", "search", "caller", "configuration_item", "template", "incident", "incidents", "page", "page_size",
          "ordering", "depth", "direction", "panel", "ci_class", "organisation", "month", "kind", "agreement", "by",
          "service", "format", "show", "view", "date", "group", "state", "priority", "queue", "assigned_to",
          "assignment_group", "status", "environment", "owner_group", "criticality", "risk", "type", "problem",
          "affected_ci"]
ID_PARAMS = {"configuration_item", "template", "incident", "incidents", "organisation", "service", "group",
             "assigned_to", "assignment_group", "owner_group", "problem", "affected_ci", "page", "depth"}


def _page_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _page_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            route = prefix + str(pattern.pattern)
            skipped = route.startswith(("api/", "admin/", "^media", "healthz", "readyz", "i18n/", "accounts/logout"))
            # Actions on a record are POST only; the record pages themselves are swept.
            if not skipped and ("<" not in route or route.endswith("/<int:pk>/")):
                yield route


@pytest.mark.parametrize("route", sorted(set(_page_routes())))
def test_every_desk_page_survives_odd_values_in_every_parameter(desk, incident, route):
    ci = make_ci("edge-router")
    url = "/" + route.replace("<int:pk>", str(ci.pk if route.startswith("cmdb/") else incident.pk))
    failures = []
    for name in PARAMS:
        for value in (NUL, SUPERSCRIPT_TWO, TOO_BIG) if name in ID_PARAMS else (NUL, SUPERSCRIPT_TWO):
            try:
                with transaction.atomic():  # a database error spoils this request only
                    desk.get(url, {name: value})
            except Exception as error:  # noqa: BLE001 - every 500, not just the first
                failures.append((name, value, repr(error)[:200]))
    assert failures == []
