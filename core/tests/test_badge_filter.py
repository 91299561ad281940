"""One badge filter for every ticket type: colours declared beside each app's choices."""

from django.template import Context, Template

from changes.models import Change
from cmdb.models import ConfigurationItem
from incidents.models import Incident
from problems.models import Problem
from releases.models import Deployment, Release


def render(record, field):
    return Template('{% load core_tags %}{{ record|badge:field }}').render(Context({"record": record, "field": field}))


def test_each_type_gets_the_colour_declared_for_its_choice():
    assert render(Incident(state="on_hold", priority=1), "state") == "warning"
    assert render(Incident(state="on_hold", priority=1), "priority") == "danger"
    assert render(Problem(state="known_error"), "state") == "warning"
    assert render(Change(state="implement", type="emergency", risk="low"), "state") == "danger"
    assert render(Change(state="implement", type="emergency", risk="low"), "type") == "danger"
    assert render(Change(state="implement", type="emergency", risk="low"), "risk") == "success"
    assert render(Release(state="rolled_back"), "state") == "danger"
    assert render(Deployment(state="succeeded"), "state") == "success"
    assert render(ConfigurationItem(status="in_use", environment="production", criticality=1), "criticality") == "danger"


def test_a_value_or_field_without_a_colour_is_secondary():
    assert render(Incident(state="no_such_state"), "state") == "secondary"
    assert render(Incident(state="new"), "channel") == "secondary"
    assert render(None, "state") == "secondary"
