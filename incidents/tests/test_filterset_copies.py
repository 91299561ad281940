"""The incident filter set's per-request copies (issue 12, eighth round): its filters share their
querysets and choice lists, and its form class is built once, while each request still gets
filters, form fields and widgets of its own."""

import django_filters
import pytest
from django.test import RequestFactory

from accounts.models import Team
from core.filters import FormClassKept
from incidents.filtersets import IncidentFilterSet
from incidents.models import Incident

pytestmark = pytest.mark.django_db


def _filterset(agent, data):
    request = RequestFactory().get("/incidents/", data)
    request.user = agent
    return IncidentFilterSet(request.GET, queryset=Incident.objects.all(), request=request)


def test_each_request_has_filters_and_fields_of_its_own(agent, team):
    first, second = _filterset(agent, {"assignment_group": team.pk}), _filterset(agent, {"state": "new"})
    for name, base in IncidentFilterSet.base_filters.items():
        assert first.filters[name] is not base and first.filters[name] is not second.filters[name], name
        assert first.filters[name].parent is first and second.filters[name].parent is second, name
    group = first.filters["assignment_group"]
    assert group.queryset is IncidentFilterSet.base_filters["assignment_group"].queryset  # shared
    assert group.extra is not second.filters["assignment_group"].extra
    assert type(first.form) is type(second.form)  # one class
    for name in first.form.fields:
        assert first.form.fields[name] is not second.form.fields[name], name
        assert first.form.fields[name].widget is not second.form.fields[name].widget, name
    first.form.fields["state"].widget.attrs["class"] = "changed"
    assert second.form.fields["state"].widget.attrs.get("class") != "changed"
    assert _filterset(agent, {}).form.fields["state"].widget.attrs.get("class") != "changed"
    # The shared queryset is never evaluated: each form's field has a clone, read afresh.
    assert first.is_valid() and first.form.cleaned_data["assignment_group"] == team
    Team.objects.create(name="Later")
    offered = _filterset(agent, {}).form.fields["assignment_group"].choices
    assert "Later" in [str(label) for _value, label in offered]
    assert IncidentFilterSet.base_filters["assignment_group"].queryset._result_cache is None
    # A method filter still calls its own copy's set.
    assert [f.filter.f for f in (first.filters["queue"], second.filters["queue"])] == [
        first.filters["queue"], second.filters["queue"]]


def test_a_filter_set_whose_queryset_depends_on_the_request_builds_its_form_each_time(agent, team):
    class PerRequest(FormClassKept, django_filters.FilterSet):
        assignment_group = django_filters.ModelChoiceFilter(queryset=lambda request: Team.objects.all())

        class Meta:
            model = Incident
            fields = []

    assert type(PerRequest({}).form) is not type(PerRequest({}).form)
