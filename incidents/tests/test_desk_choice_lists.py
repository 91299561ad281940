"""The desk forms' option lists are kept per process (core.choices_memo, issue 12): each change of
a listed table shows on the next page, and a kept list still refuses what the database refuses."""

import re

import pytest
from django.urls import reverse

from accounts.models import Team
from accounts.roles import Role
from cmdb.choices import BUSINESS_SERVICE_SLUG, CIStatus
from cmdb.models import CIClass, ConfigurationItem
from incidents.models import Category, Incident

pytestmark = pytest.mark.django_db
LIST = reverse("incidents:incident_list") + "?queue=all"  # with a row, so the bulk form shows


def _selects(response, name):
    """The option labels of every select `name` in the page, in page order (the queue page: the
    filter form's, then the bulk form's)."""
    html = response.content.decode()
    return [re.findall(r"<option[^>]*>([^<]*)</option>", body)
            for body in re.findall(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)]


def test_the_queue_page_shows_a_renamed_team_a_new_category_and_agent(client, agent, team, make_user,
                                                                       open_incident):
    open_incident()
    client.force_login(agent)
    first = client.get(LIST)
    assert [("Service Desk" in labels) for labels in _selects(first, "assignment_group")] == [True, True]
    assert "Hardware" not in _selects(first, "category")[0]

    team.name = "Front Desk"
    team.save()
    Category.objects.create(name="Hardware", slug="hardware")
    newcomer = make_user(Role.AGENT, username="newcomer", display_name="Newcomer Kim")
    page = client.get(LIST)
    for labels in _selects(page, "assignment_group"):  # the filter's and the bulk form's
        assert "Front Desk" in labels and "Service Desk" not in labels
    assert "Hardware" in _selects(page, "category")[0]
    assert [("Newcomer Kim" in labels) for labels in _selects(page, "assigned_to")] == [True, True]

    newcomer.is_active = False  # the bulk form offers active agents only
    newcomer.save()
    assert [("Newcomer Kim" in labels) for labels in _selects(client.get(LIST), "assigned_to")] == [True, False]


def test_a_role_given_moves_the_agent_lists(client, agent, make_user):
    person = make_user(Role.END_USER, username="person", display_name="Person Lee")
    client.force_login(agent)
    assert "Person Lee" not in _selects(client.get(LIST), "assigned_to")[0]
    person.groups.set(agent.groups.all())  # a membership of a role changes (m2m_changed)
    assert "Person Lee" in _selects(client.get(LIST), "assigned_to")[0]


def test_a_login_does_not_reload_the_lists(agent):
    from core import memo

    before = memo.generation(memo.REFERENCE)
    agent.save(update_fields=["last_login"])
    assert memo.generation(memo.REFERENCE) == before
    agent.save()
    assert memo.generation(memo.REFERENCE) != before


def test_the_record_page_shows_a_new_service_and_a_deactivated_category(client, agent, open_incident):
    incident = open_incident()
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG,
                                                  defaults={"name": "Business service"})[0]
    hardware = Category.objects.create(name="Hardware", slug="hardware")
    url = reverse("incidents:incident_detail", args=[incident.pk])
    client.force_login(agent)
    page = client.get(url)
    assert "Hardware" in _selects(page, "category")[0]
    assert "Payroll" not in _selects(page, "service")[0]

    payroll = ConfigurationItem.objects.create(name="Payroll", ci_class=service_class)
    hardware.active = False
    hardware.save()
    page = client.get(url)
    assert "Payroll" in _selects(page, "service")[0]
    assert "Hardware" not in _selects(page, "category")[0]

    payroll.status = CIStatus.RETIRED
    payroll.save()
    assert "Payroll" not in _selects(client.get(url), "service")[0]


def test_a_kept_list_still_validates_against_the_database(client, agent, open_incident):
    """A team gone without a signal (a queryset delete) stays in the kept list, but a submitted
    choice is still checked against the database: the field's queryset validates, not the list."""
    incident = open_incident()
    gone = Team.objects.create(name="Gone")
    client.force_login(agent)
    assert "Gone" in _selects(client.get(LIST), "assignment_group")[1]
    Team.objects.filter(pk=gone.pk)._raw_delete(Team.objects.db)
    assert "Gone" in _selects(client.get(LIST), "assignment_group")[1]  # stale, as said
    client.post(reverse("incidents:incident_bulk_update"), {"incidents": [incident.pk], "assignment_group": gone.pk})
    assert Incident.objects.get(pk=incident.pk).assignment_group_id != gone.pk


def test_the_record_form_keeps_categories_and_subcategories_apart(agent, open_incident):
    """The categories' limit_choices_to lives in the record form's querysets (issue 12, sixth round):
    a subcategory is no category, a category no subcategory, and the lists show each as before."""
    from incidents.forms import IncidentForm

    top = Category.objects.create(name="Network", slug="network")
    sub = Category.objects.create(name="VPN", slug="vpn", parent=top)
    incident = open_incident()
    base = {"title": "VPN down", "impact": 2, "urgency": 2, "version": incident.version}
    assert IncidentForm({**base, "category": top.pk, "subcategory": sub.pk}, instance=incident).is_valid()
    for wrong in ({"category": sub.pk}, {"subcategory": top.pk}):
        form = IncidentForm({**base, **wrong}, instance=incident)
        assert not form.is_valid() and set(form.errors) == set(wrong)
    form = IncidentForm(instance=incident)
    assert [str(c) for c in form.fields["category"].queryset] == [str(top)]
    assert [str(c) for c in form.fields["subcategory"].queryset] == [str(sub)]
