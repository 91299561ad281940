"""The queue page's tabs and sortable column heads, written by `{% queue_tabs %}` and
`{% sort_headers %}` (issue 12, ninth round), are what the templates' loops wrote, character for
character; and a fixed select's options, kept per language, follow the language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from incidents.filtersets import Queue
from incidents.forms import BulkUpdateForm
from incidents.templatetags.incidents_tags import select_field
from incidents.views import IncidentListView

# list.html's and _rows.html's loops before they became tags.
TABS_TEMPLATE = """{% for value, label, count in queues %}
  <li class="nav-item"><a class="nav-link{% if value == queue %} active{% endif %}" href="?queue={{ value }}" data-testid="queue-{{ value }}"{% if value == queue %} aria-current="page"{% endif %}>{{ label }}{% if count is not None %} <span class="badge rounded-pill {% if value == 'breached' and count %}badge-sla-breached{% elif value == 'breaching' and count %}badge-sla-warning{% else %}text-bg-light{% endif %}" data-testid="queue-count">{{ count }}</span>{% endif %}</a></li>
  {% endfor %}"""
HEADS_TEMPLATE = """{% for field, label in sort_columns %}
      <th scope="col"><a class="link-body-emphasis text-decoration-none" href="?{% if query_no_order %}{{ query_no_order }}&amp;{% endif %}ordering={% if ordering == field %}-{% endif %}{{ field }}">{{ label }}{% if ordering == field %} ▲{% elif ordering == "-"|add:field %} ▼{% endif %}</a></th>
      {% endfor %}"""
TABS_TAG = "{% load incidents_tags %}{% queue_tabs queues queue %}"
HEADS_TAG = "{% load incidents_tags %}{% sort_headers sort_columns ordering query_no_order %}"


def _queues(counts):
    return [(value, label, counts.get(value)) for value, label in Queue.choices]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_queue_tabs_render_as_the_loop_did(language):
    cases = [
        ({}, ""),
        ({Queue.MINE: 0, Queue.BREACHED: 0, Queue.BREACHING: 0, Queue.ALL: 3}, Queue.MINE),
        ({Queue.MY_GROUPS: 27, Queue.BREACHED: 4, Queue.BREACHING: 2, Queue.ALL: "10,000+"}, Queue.MY_GROUPS),
        ({Queue.BREACHED: 12345, Queue.OPEN: 1}, Queue.BREACHED),
        ({Queue.MAJOR: 1}, "<b>&"),
    ]
    with translation.override(language):
        for counts, queue in cases:
            context = {"queues": _queues(counts), "queue": queue}
            expected = Template(TABS_TEMPLATE).render(Context(context))
            assert Template(TABS_TAG).render(Context(context)) == expected
        weird = {"queues": [("a&b", "<i>x</i>", "1&2"), ("breached", "b", 0)], "queue": "a&b"}
        assert Template(TABS_TAG).render(Context(weird)) == Template(TABS_TEMPLATE).render(Context(weird))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_sort_heads_render_as_the_loop_did(language):
    with translation.override(language):
        for ordering in ("", "number", "-number", "priority", "-created_at", "title"):
            for query in ("", "queue=all", "queue=open&state=new&search=a%26b", "x=<y>"):
                context = {"sort_columns": IncidentListView.sort_columns, "ordering": ordering,
                           "query_no_order": query}
                assert (Template(HEADS_TAG).render(Context(context))
                        == Template(HEADS_TEMPLATE).render(Context(context))), (ordering, query)


def test_a_fixed_select_s_kept_options_follow_the_language():
    with translation.override("en"):
        english = select_field(BulkUpdateForm()["state"])
    with translation.override("ko"):
        korean = select_field(BulkUpdateForm()["state"])
    with translation.override("en"):
        assert select_field(BulkUpdateForm()["state"]) == english
    assert english != korean


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_record_form_s_kept_and_fixed_selects_render_as_the_field_include_did(agent, team, open_incident,
                                                                                 language):
    """core.form_renderer.select_html keeps the options of the record form's kept lists (teams,
    categories, services) and fixed lists (impact, urgency, the state menu) per language: the
    include's markup, chosen or not, first written then kept, and a new team is offered at once."""
    from django.template.loader import render_to_string

    from accounts.models import Team
    from core.templatetags.core_tags import form_field
    from incidents.forms import IncidentForm, IncidentTransitionForm
    from incidents.views import action_choices

    incident = open_incident(title="Printer", assignment_group=team, assigned_to=agent)
    with translation.override(language):
        for _round in range(2):
            forms = [IncidentForm(instance=incident), IncidentForm(),
                     action_choices(incident, IncidentTransitionForm(allowed=["on_hold", "resolved"]))]
            for form in forms:
                for field in form:
                    expected = render_to_string("includes/field.html", {"field": field})
                    assert form_field(field) == expected, field.name
        shown = form_field(IncidentForm(instance=incident)["assignment_group"])
        assert f'<option value="{team.pk}" selected>' in shown
        Team.objects.create(name="<New> team")
        assert "&lt;New&gt; team</option>" in form_field(IncidentForm(instance=incident)["assignment_group"])
