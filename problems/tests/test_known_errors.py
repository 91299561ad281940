"""Known-error matching for an incident, the search of the known-error database, the fragment."""

import pytest
from django.urls import reverse

from core.choices import Channel
from problems import services
from problems.models import Problem
from problems.selectors import matching_known_errors, search_problems, significant_terms
from problems.tests.factories import make_ci, make_incident, make_known_error, make_problem

pytestmark = pytest.mark.django_db


def test_significant_terms_drops_short_and_stop_words():
    assert significant_terms("The VPN is down after the 10 update, VPN again") == ["vpn", "down", "update", "again"]
    assert significant_terms("메일 발송 지연") == ["메일", "발송", "지연"]


def test_match_by_ci_ranks_first(agent, end_user):
    # given
    gateway = make_ci("vpn-gw-01")
    by_ci = make_known_error(agent, title="Gateway memory leak", workaround="Restart gateway",
                             configuration_items=[gateway])
    by_text = make_known_error(agent, title="VPN disconnects", workaround="Reconnect")
    make_known_error(agent, title="Printer offline", workaround="Power cycle")
    incident = make_incident(end_user, title="VPN disconnects every hour", configuration_item=gateway)
    # when
    matches = matching_known_errors(incident)
    # then
    assert [m.pk for m in matches] == [by_ci.pk, by_text.pk]
    assert matches[0].match_ci is True
    assert matches[1].match_ci is False and matches[1].match_text > 0


def test_match_by_service_via_ci_or_other_incident(agent, end_user):
    # given
    mail = make_ci("mail-service")
    other = make_incident(end_user, title="Unrelated words", service=mail)
    via_ci = make_known_error(agent, title="Alpha", workaround="w1", configuration_items=[mail])
    via_incident = make_known_error(agent, title="Beta", workaround="w2", incidents=[other])
    incident = make_incident(end_user, title="Zzz qqq", service=mail)
    # when
    matches = matching_known_errors(incident)
    # then
    assert {m.pk for m in matches} == {via_ci.pk, via_incident.pk}
    assert all(m.match_service for m in matches)


def test_unpublished_and_cancelled_problems_never_match(agent, end_user):
    gateway = make_ci("vpn-gw-02")
    make_problem(agent, title="VPN disconnects", workaround="x", configuration_items=[gateway])
    cancelled = make_known_error(agent, title="VPN disconnects too", configuration_items=[gateway])
    services.transition_problem(cancelled, "cancelled", actor=agent, channel=Channel.WEB)
    incident = make_incident(end_user, title="VPN disconnects", configuration_item=gateway)
    assert matching_known_errors(incident) == []


def test_match_limit_and_linked_flag(agent, end_user):
    gateway = make_ci("vpn-gw-03")
    incident = make_incident(end_user, title="x", configuration_item=gateway)
    errors = [make_known_error(agent, title=f"KE {n}", configuration_items=[gateway]) for n in range(7)]
    services.apply_known_error(errors[0], incident, actor=agent, channel=Channel.WEB)
    matches = matching_known_errors(incident, limit=5)
    assert len(matches) == 5
    assert {m.pk: m.linked for m in matching_known_errors(incident, limit=10)}[errors[0].pk] is True


def test_search_known_errors_full_text(agent):
    vpn = make_known_error(agent, title="VPN disconnects", workaround="Disable split tunnelling")
    make_known_error(agent, title="Printer offline", workaround="Power cycle")
    found = search_problems(Problem.objects.known_errors(), "tunnelling")
    assert [p.pk for p in found] == [vpn.pk]
    assert [p.pk for p in search_problems(Problem.objects.all(), vpn.number)] == [vpn.pk]


def test_suggestion_fragment_lists_matches(client, agent, end_user):
    # given
    gateway = make_ci("vpn-gw-04")
    known_error = make_known_error(agent, title="Gateway leak", configuration_items=[gateway])
    incident = make_incident(end_user, title="VPN down", configuration_item=gateway)
    client.force_login(agent)
    # when
    response = client.get(reverse("problems:known_error_suggestions", args=[incident.pk]), HTTP_HX_REQUEST="true")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert known_error.number in html
    assert "<html" not in html
    assert reverse("problems:apply_known_error", args=[known_error.pk, incident.pk]) in html


def test_suggestion_fragment_404_for_unknown_incident_and_empty_for_end_user(client, agent, end_user):
    incident = make_incident(end_user, title="VPN down")
    client.force_login(agent)
    assert client.get(reverse("problems:known_error_suggestions", args=[999999])).status_code == 404
    client.force_login(end_user)
    response = client.get(reverse("problems:known_error_suggestions", args=[incident.pk]))
    assert response.status_code == 200
    assert "suggested-known-error" not in response.content.decode()


def test_apply_view_from_fragment(client, agent, end_user):
    known_error = make_known_error(agent)
    incident = make_incident(end_user)
    client.force_login(agent)
    response = client.post(reverse("problems:apply_known_error", args=[known_error.pk, incident.pk]),
                           {"fragment": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "applied as a work note" in response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert list(known_error.incidents.all()) == [incident]


def test_search_follows_updates_and_matches_korean_by_prefix(agent):
    # given
    problem = make_known_error(agent, title="그룹웨어 메일 발송 지연", workaround="SMTP 릴레이 재시작")
    # when
    services.update_problem(problem, actor=agent, channel=Channel.WEB, changes={"workaround": "큐 정리 후 재전송"})
    # then
    assert [p.pk for p in search_problems(Problem.objects.all(), "재전송")] == [problem.pk]
    assert list(search_problems(Problem.objects.all(), "릴레이")) == []
    assert [p.pk for p in search_problems(Problem.objects.all(), "발송")] == [problem.pk]
    assert [p.pk for p in search_problems(Problem.objects.all(), "메일 지연")] == [problem.pk]
    assert list(search_problems(Problem.objects.all(), "메일 프린터")) == []


@pytest.mark.parametrize("text", ["'", "a & b", "!!", "(", ":*", "x:*&|", "\\", "%_"])
def test_search_odd_input_never_fails(agent, text):
    make_known_error(agent)
    # Searched as words, not as query syntax: none of them is in the known error.
    assert list(search_problems(Problem.objects.all(), text)) == []


def test_suggestion_fragment_shows_covering_problems_and_raise_link(client, agent, end_user):
    incident = make_incident(end_user, title="Disk full on app01")
    problem = make_problem(agent, title="Log rotation broken", incidents=[incident])
    client.force_login(agent)
    html = client.get(reverse("problems:known_error_suggestions", args=[incident.pk])).content.decode()
    assert problem.number in html
    assert f"{reverse('problems:problem_create')}?incidents={incident.pk}" in html
