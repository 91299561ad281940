"""Defect 3 of issue 10: the team directory (managers, members, their names and e-mails) is the
desk's; to an end user `groups/` does not exist."""

import pytest

pytestmark = pytest.mark.django_db


def test_end_user_gets_404_for_the_team_list_and_every_team(end_user_api, team, agent):
    missing = team.pk + 1000
    assert end_user_api.get("/api/v1/groups/").status_code == 404
    hidden = end_user_api.get(f"/api/v1/groups/{team.pk}/")
    absent = end_user_api.get(f"/api/v1/groups/{missing}/")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content  # a team reads exactly like a missing one
    assert end_user_api.get(f"/api/v1/groups/?members={agent.pk}").status_code == 404


def test_desk_staff_still_read_the_directory(agent_api, team, agent):
    body = agent_api.get("/api/v1/groups/").json()
    assert [(g["name"], [m["username"] for m in g["members"]]) for g in body["results"]] == [("Service Desk", ["agent"])]
