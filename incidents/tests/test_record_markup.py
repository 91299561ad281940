"""The record page's parts written in Python write what their templates wrote, character for
character (issue 12, seventh round): `{% incident_header %}` (incidents.templatetags.
incident_record_tags) against detail.html's header as it was, kept here."""

import itertools
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from accounts.models import User
from core.choices import Channel
from incidents.choices import IncidentState, OnHoldReason
from incidents.models import Incident

OLD_HEADER = """{% load i18n core_tags %}<div class="page-header">
  <div>
    <h1 class="mb-1"><span class="text-body-secondary">{{ incident.number }}</span> {{ incident.title }}</h1>
    <div class="d-flex flex-wrap gap-2 align-items-center" data-testid="incident-header">
      <span class="badge text-bg-{{ incident|badge:"state" }}" data-testid="state">{{ incident.get_state_display }}</span>
      {% if incident.on_hold_reason %}<span class="badge text-bg-light">{{ incident.get_on_hold_reason_display }}</span>{% endif %}
      <span class="badge text-bg-{{ incident|badge:"priority" }}" data-testid="priority">{{ incident.get_priority_display }}</span>
      {% if incident.priority_override %}<span class="badge text-bg-light" title="{{ incident.priority_override_reason }}">{% translate "overridden" %}</span>{% endif %}
      {% if incident.is_major %}<span class="badge text-bg-danger">{% translate "Major incident" %}</span>{% endif %}
      {% if incident.is_security %}<span class="badge text-bg-dark" data-testid="security-badge">{% translate "Security incident" %}</span>{% endif %}
      <span class="small text-body-secondary">{% translate "Caller" %}: {{ incident.caller }} · {{ incident.get_channel_display }} · {% translate "opened" %} {{ incident.created_at|when }}</span>
    </div>
  </div>
  <div class="d-flex gap-2" data-testid="quick-actions">
    {% if incident.is_open and incident.assigned_to_id != user.pk %}
    <form method="post" action="{% url 'incidents:incident_take' incident.pk %}">{% csrf_token %}
      <input type="hidden" name="version" value="{{ incident.version }}">
      <button class="btn btn-outline-primary" type="submit" data-testid="take">{% translate "Assign to me" %}</button>
    </form>
    {% endif %}
    {% if incident.state == "new" or incident.state == "on_hold" %}
    <form method="post" action="{% url 'incidents:incident_transition' incident.pk %}" hx-post="{% url 'incidents:incident_transition' incident.pk %}">{% csrf_token %}
      <input type="hidden" name="version" value="{{ incident.version }}"><input type="hidden" name="state" value="in_progress">
      <button class="btn btn-outline-success" type="submit" data-testid="start-work">{{ incident|action_label:"in_progress" }}</button>
    </form>
    {% endif %}
  </div>
</div>"""


def incidents():
    viewer = User(pk=5, username="agent")
    caller = User(pk=6, username="kim", display_name="Kim <Minji> & “co”")
    now = timezone.now()
    for n, (state, override, major, security, assigned) in enumerate(itertools.product(
            IncidentState.values, (False, True), (False, True), (False, True), (None, viewer, caller))):
        incident = Incident(
            pk=100 + n, number=f"INC{100 + n:07d}", title="Mail <down> & “again”", state=state,
            priority=1 + n % 5, priority_override=override, priority_override_reason="VIP <ceo> & co",
            is_major=major, is_security=security, caller=caller, assigned_to=assigned,
            channel=list(Channel.values)[n % len(Channel.values)], version=n,
            on_hold_reason=OnHoldReason.AWAITING_VENDOR if state == IncidentState.ON_HOLD else "",
            created_at=now - timedelta(days=n % 40, hours=n % 7))
        yield incident, viewer


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("csrf", ["token<&>", "NOTPROVIDED", None])
def test_incident_header_equals_the_template(language, csrf):
    old = Template(OLD_HEADER)
    new = Template("{% load incident_record_tags %}{% incident_header incident %}")
    seen = 0
    with translation.override(language):
        for incident, viewer in incidents():
            for user in (viewer, None):
                context = {"incident": incident, "user": user}
                if csrf is not None:
                    context["csrf_token"] = csrf
                assert new.render(Context(context)) == old.render(Context(context))
                seen += 1
    assert seen == 6 * 8 * 3 * 2


def test_an_unknown_choice_shows_its_value():
    incident, viewer = next(incidents())
    incident.priority, incident.state = 9, "weird"
    context = {"incident": incident, "user": viewer}
    assert Template("{% load incident_record_tags %}{% incident_header incident %}").render(Context(context)) == \
        Template(OLD_HEADER).render(Context(context))


def test_the_parent_select_lists_the_open_major_incidents_as_the_orm_does(open_incident, agent):
    from core.choices import Channel as C
    from incidents import services
    from incidents.forms import IncidentForm, record_querysets

    majors = [open_incident(title=f"Outage <{i}>", is_major=True) for i in range(4)]
    open_incident(title="Not major")
    services.transition(majors[1], actor=agent, channel=C.WEB, target=IncidentState.CANCELLED)
    choices = [(str(value), label) for value, label in IncidentForm().fields["parent"].choices]
    expected = [(str(i.pk), str(i)) for i in record_querysets()["parent"].all()]
    assert choices == [("", "---------"), *expected]
    assert {int(value) for value, _label in choices[1:]} == {majors[0].pk, majors[2].pk, majors[3].pk}
