"""The problem form's assignee picker: a typed full name is enough."""

import pytest
from django.urls import reverse

from problems.models import Problem
from problems.tests.factories import make_problem

pytestmark = pytest.mark.django_db


def test_a_typed_full_name_assigns_the_problem(client, agent, other_agent):
    other_agent.display_name = "Lee Seojun"
    other_agent.save()
    client.force_login(agent)
    response = client.post(reverse("problems:problem_create"), {
        "title": "VPN drops", "impact": 3, "priority": 3, "assigned_to": "", "assigned_to_text": "lee seojun",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Problem.objects.get().assigned_to == other_agent


def test_an_edit_by_e_mail_reassigns(client, agent, other_agent):
    problem = make_problem(agent, title="Disk full")
    client.force_login(agent)
    client.post(reverse("problems:problem_update", args=[problem.pk]), {
        "title": "Disk full", "impact": 3, "priority": 3, "version": problem.version,
        "assigned_to_text": other_agent.email,
    })
    problem.refresh_from_db()
    assert problem.assigned_to == other_agent


def test_the_ci_link_box_suggests_ci_names(client, agent):
    problem = make_problem(agent)
    client.force_login(agent)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'id="link_configuration_items_reference" class="form-control form-control-sm"' in page
    assert 'data-picker-url="/core/pick/ci/"' in page
