"""The desk pages' Python renderings (issue 12, third round) write what their templates wrote.

Form fields, queue filters and queue rows are rendered by template tags instead of an include per
field or per row; these tests hold each tag equal, character for character, to the template it
replaced, on every kind of widget, with errors, and in Korean.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from core.forms import DeskCommentForm
from core.templatetags.core_tags import form_field
from core.web import bootstrapify
from incidents import filtersets
from incidents.filtersets import IncidentFilterSet
from incidents.forms import BulkUpdateForm, IncidentForm, IncidentTransitionForm
from incidents.models import Incident
from incidents.templatetags.incidents_tags import select_field
from cmdb.models import BUSINESS_SERVICE_SLUG
from cmdb.tests.factories import make_ci
from incidents.views import list_queryset, queue_rows
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db

# The loop body of incidents/partials/_rows.html before the row became a tag.
ROW_TEMPLATE = """{% load i18n core_tags %}{% for incident in rows %}
    <tr data-testid="incident-row">
      <td><input class="form-check-input" type="checkbox" name="incidents" value="{{ incident.pk }}" aria-label="{% translate 'Select' %} {{ incident.number }}"></td>
      <td class="text-nowrap"><a href="{{ incident.get_absolute_url }}">{{ incident.number }}</a>{% if incident.is_major %} <span class="badge text-bg-danger">{% translate "Major" %}</span>{% endif %}</td>
      <td><span class="badge text-bg-{{ incident|badge:"priority" }}">P{{ incident.priority }}</span></td>
      <td><span class="badge text-bg-{{ incident|badge:"state" }}">{{ incident.get_state_display }}</span></td>
      <td class="col-title">{{ incident.title|truncatechars:80 }}<div class="small text-body-secondary">{{ incident.caller }}{% if incident.service %} · {{ incident.service }}{% endif %}</div></td>
      <td class="text-nowrap small">{{ incident.created_at|when:"short" }}</td>
      <td class="text-nowrap small">{{ incident.updated_at|when:"short" }}</td>
      <td class="small">{{ incident.assignment_group|default:"—" }}<div class="text-body-secondary">{{ incident.assigned_to|default:_("Unassigned") }}</div></td>
      <td class="small">{% include "sla/partials/_badges.html" with clocks=incident.sla_clocks.all %}</td>
    </tr>
  {% endfor %}"""


def _filter_form(agent, data):
    request = RequestFactory().get("/incidents/", data)
    request.user = agent
    filterset = IncidentFilterSet(request.GET, queryset=Incident.objects.all(), request=request)
    bootstrapify(filterset.form)
    filterset.is_valid()
    return filterset.form


@pytest.mark.parametrize("language", ["en", "ko"])
def test_form_fields_render_as_the_field_include_did(agent, open_incident, language):
    incident = open_incident(title="<b>Printer</b> & co", assigned_to=agent, is_major=True)
    refused = IncidentForm({"title": "", "impact": "9", "caller": "x"}, instance=incident)
    assert not refused.is_valid()
    forms = [IncidentForm(instance=incident), refused, IncidentForm(), IncidentTransitionForm(allowed=["resolved"]),
             DeskCommentForm(allow_files=True), _filter_form(agent, {"state": "new", "search": "<x>"}),
             _filter_form(agent, {"created_after": "not a date", "assignment_group": "x"})]
    with translation.override(language):
        fields = [field for form in forms for field in form]
        kinds = {type(field.field.widget).__name__ for field in fields}
        assert {"CheckboxInput", "Select", "Textarea", "HiddenInput", "TextInput", "SelectMultiple"} <= kinds
        for field in fields:
            assert form_field(field) == render_to_string("includes/field.html", {"field": field}), field.name


def test_queue_filters_render_as_the_select_include_did(agent, team):
    forms = [_filter_form(agent, {"state": ["new", "on_hold"], "assignment_group": team.pk}),
             _filter_form(agent, {"assignment_group": "nope"}), BulkUpdateForm()]
    for form in forms:
        for name in ("state", "priority", "assignment_group", "assigned_to", "category", "service", "channel"):
            if name in form.fields:
                expected = render_to_string("incidents/partials/_select_field.html", {"field": form[name]})
                assert select_field(form[name]) == expected, name


@pytest.mark.parametrize("language", ["en", "ko"])
def test_kept_lists_render_as_the_select_include_did(agent, team, language):
    """The queue's kept lists (core.choices_memo) have their options written once per list and
    language (issue 12, eighth round): the include's markup, chosen or not, on the filter and the
    bulk forms, and a new team is offered at once."""
    from accounts.models import Team
    from incidents.views import IncidentListView

    def forms_():
        filters = []
        for data in ({"assignment_group": team.pk, "assigned_to": agent.pk}, {}):
            request = RequestFactory().get("/incidents/", data)
            request.user = agent
            filterset = IncidentFilterSet(request.GET, queryset=Incident.objects.all(), request=request)
            IncidentListView.style_filter_form(IncidentListView(), filterset.form)
            filterset.is_valid()
            filters.append(filterset.form)
        return [*filters, BulkUpdateForm(), BulkUpdateForm({"assignment_group": team.pk})]

    with translation.override(language):
        for _round in range(2):  # written, then kept
            for form in forms_():
                for name in ("assignment_group", "assigned_to", "category", "service"):
                    if name in form.fields:
                        assert getattr(form.fields[name], "memo_choices_name", None), name
                        expected = render_to_string("incidents/partials/_select_field.html",
                                                    {"field": form[name]})
                        assert select_field(form[name]) == expected, name
        assert f'<option value="{team.pk}" selected>' in select_field(forms_()[0]["assignment_group"])
        Team.objects.create(name="<New> team")
        for form in forms_():
            assert "&lt;New&gt; team</option>" in select_field(form["assignment_group"])


@pytest.mark.parametrize("language", ["en", "ko"])
def test_queue_rows_render_as_the_row_template_did(agent, team, open_incident, language):
    """The tag, over the rows the queue reads (queue_rows, issue 12, sixth round) and over the
    list's queryset, writes what the template wrote over the queryset's rows."""
    make_definition(calendar=None)  # rows with SLA badges
    service = make_ci(name="<Mail> service", cls=BUSINESS_SERVICE_SLUG)
    open_incident(title="A very long title " * 8 + "<script>", assignment_group=team, assigned_to=agent,
                  is_major=True, service=service)
    open_incident(title="Unassigned & plain", impact=1, urgency=1)
    # Titles at truncatechars' edges (80 characters, 81; combining accents NFC folds to 80 and 81)
    # and dates of another year (the short form's "date").
    for title in ("x" * 80, "y" * 81, "cafe\u0301-" * 16, "cafe\u0301-" * 16 + "z"):
        open_incident(title=title)
    Incident.objects.filter(title="x" * 80).update(created_at=timezone.now() - dt.timedelta(days=400),
                                                  updated_at=timezone.now() - dt.timedelta(days=370))
    rows = list(list_queryset(agent).order_by("-id"))
    read = queue_rows([row.pk for row in rows])
    tag = "{% load incidents_tags %}{% for incident in rows %}{% incident_row incident %}{% endfor %}"
    with translation.override(language):
        old = Template(ROW_TEMPLATE).render(Context({"rows": rows}))
        new = Template(tag).render(Context({"rows": rows}))
        read_new = Template(tag).render(Context({"rows": [read[row.pk] for row in rows]}))
    assert new == old
    assert read_new == old
    assert "&lt;Mail&gt; service" in old and old.count("data-due=") == 12  # two clocks a row, running
    assert "&lt;script&gt;" not in new and "A very long title" in new  # cut at 80 characters, escaped
    assert "x" * 80 + "<" in new and "y" * 79 + "…<" in new
    assert "café-" * 16 + "<" in new and "café-" * 15 + "café…<" in new


def test_the_all_tab_counts_up_to_its_cap(client, agent, open_incident, monkeypatch):
    """Counting every incident ever recorded read the whole table on each queue page: past the cap
    the tab says "N+", below it the exact number."""
    for n in range(3):
        open_incident(title=f"Incident {n}")
    client.force_login(agent)
    counts = lambda: {value: count for value, _label, count in client.get(reverse("incidents:incident_list")).context["queues"]}  # noqa: E731
    assert counts()["all"] == 3
    monkeypatch.setattr(filtersets, "ALL_COUNT_CAP", 2)
    monkeypatch.setattr("incidents.views.ALL_COUNT_CAP", 2)
    assert counts()["all"] == "2+"
    monkeypatch.setattr(filtersets, "ALL_COUNT_CAP", 3)
    monkeypatch.setattr("incidents.views.ALL_COUNT_CAP", 3)
    assert counts()["all"] == 3


def test_the_all_tab_never_counts_past_what_the_agent_may_see(client, agent, make_user, open_incident, monkeypatch):
    """Desk staff's capped count is bounded by the primary key's index less the security incidents:
    an agent outside the security group is never told of incidents hidden from them, and a member
    of the group is told of all of them."""
    from accounts.models import Team
    from accounts.roles import Role

    member = make_user(Role.AGENT, username="cert_member")
    Team.objects.create(name="CERT", is_security=True).members.add(member)
    for n in range(3):
        incident = open_incident(title=f"Incident {n}")
        Incident.objects.filter(pk=incident.pk).update(is_security=n > 0)
    monkeypatch.setattr(filtersets, "ALL_COUNT_CAP", 2)
    monkeypatch.setattr("incidents.views.ALL_COUNT_CAP", 2)

    def all_tab(user):
        client.force_login(user)
        return {value: count for value, _label, count in client.get(reverse("incidents:incident_list")).context["queues"]}["all"]

    assert all_tab(agent) == 1
    assert all_tab(member) == "2+"
    for n in range(2):
        open_incident(title=f"Ordinary {n}")
    assert all_tab(agent) == "2+"  # 3 ordinary incidents: past the cap by the index alone
