"""Agent desk pages: queues, filters, search, record page, quick actions, bulk updates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Channel
from incidents import services
from incidents.choices import IncidentState
from incidents.models import Incident
from incidents.tests.test_api import make_many

pytestmark = pytest.mark.django_db
LIST = reverse("incidents:incident_list")


def test_end_user_cannot_open_the_desk(client, end_user, open_incident):
    client.force_login(end_user)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("incidents:incident_detail", args=[open_incident().pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("queue", ["mine", "my_groups", "unassigned", "breaching", "major", "open", "all"])
def test_queues_render(client, agent, open_incident, team, queue):
    open_incident(assignment_group=team, assigned_to=agent, is_major=True)
    client.force_login(agent)
    response = client.get(LIST, {"queue": queue})
    assert response.status_code == 200


def test_my_work_queue_lists_my_incidents(client, agent, other_agent, team, open_incident):
    mine = open_incident(assignment_group=team, assigned_to=agent)
    open_incident(assignment_group=team, assigned_to=other_agent)
    client.force_login(agent)
    response = client.get(LIST, {"queue": "mine"})
    assert [i.pk for i in response.context["page"].object_list] == [mine.pk]


def test_search_and_htmx_fragment(client, agent, open_incident):
    wanted = open_incident(title="전자결재 승인 버튼이 동작하지 않음")
    open_incident(title="Printer")
    client.force_login(agent)
    response = client.get(LIST, {"queue": "all", "search": "전자결재"}, HTTP_HX_REQUEST="true")
    assert [i.pk for i in response.context["page"].object_list] == [wanted.pk]
    assert b"<html" not in response.content
    assert response["Vary"].count("HX-Request") == 1


def test_queue_page_query_count_is_constant(client, agent, end_user, team):
    client.force_login(agent)
    make_many(10, end_user, team, agent)
    client.get(LIST, {"queue": "all"})
    with CaptureQueriesContext(connection) as ten:
        client.get(LIST, {"queue": "all"})
    make_many(90, end_user, team, agent)
    with CaptureQueriesContext(connection) as hundred:
        client.get(LIST, {"queue": "all"})
    assert len(ten) == len(hundred)


def test_create_from_desk(client, agent, end_user, team):
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_create"), {
        "title": "VPN 연결 끊김", "caller": end_user.pk, "impact": 2, "urgency": 1, "assignment_group": team.pk,
    })
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert (incident.priority, incident.caller, incident.created_by) == (2, end_user, agent)


def test_detail_page_shows_timeline_and_known_error_panel_guarded(client, agent, open_incident):
    incident = open_incident()
    services.comment(incident, actor=agent, channel=Channel.WEB, body="work note text", internal=True)
    client.force_login(agent)
    response = client.get(incident.get_absolute_url())
    assert response.status_code == 200
    assert "work note text" in response.content.decode()


def test_transition_form_shows_refusal(client, agent, open_incident):
    incident = open_incident()
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_transition", args=[incident.pk]),
                           {"state": "resolved", "version": incident.version})
    assert response.status_code == 400
    assert "resolution code" in response.content.decode().lower()
    incident.refresh_from_db()
    assert incident.state == "new"


def test_take_and_start(client, agent, open_incident):
    incident = open_incident()
    client.force_login(agent)
    client.post(reverse("incidents:incident_take", args=[incident.pk]), {"version": incident.version})
    incident.refresh_from_db()
    assert (incident.assigned_to, incident.state) == (agent, "in_progress")


def test_htmx_write_answers_hx_redirect(client, agent, open_incident):
    incident = open_incident()
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_transition", args=[incident.pk]),
                           {"state": "in_progress", "version": incident.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == incident.get_absolute_url()


def test_bulk_assign(client, agent, team, open_incident):
    first, second = open_incident(), open_incident()
    client.force_login(agent)
    client.post(reverse("incidents:incident_bulk_update"),
                {"incidents": [first.pk, second.pk], "assignment_group": team.pk, "assigned_to": agent.pk})
    assert set(Incident.objects.values_list("assigned_to", flat=True)) == {agent.pk}


def test_comment_with_attachment(client, agent, open_incident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = open_incident()
    client.force_login(agent)
    upload = SimpleUploadedFile("log.txt", b"smtp timeout", content_type="text/plain")
    client.post(reverse("incidents:incident_comment", args=[incident.pk]),
                {"body": "log attached", "internal": "on", "files": [upload]})
    assert incident.comments.get().internal is True
    assert incident.attachments.get().filename == "log.txt"


def test_service_suggestion_fragment(client, agent, estate):
    groupware, mail_server = estate
    client.force_login(agent)
    response = client.get(reverse("incidents:service_suggestion"), {"configuration_item": mail_server.pk},
                          HTTP_HX_REQUEST="true")
    assert f'data-service="{groupware.pk}"' in response.content.decode()
    assert client.get(reverse("incidents:service_suggestion"), {"configuration_item": "x"}).status_code == 200


def test_desk_form_accepts_ci_id(client, agent, end_user, estate):
    groupware, mail_server = estate
    client.force_login(agent)
    client.post(reverse("incidents:incident_create"), {
        "title": "메일 서버 응답 없음", "caller": end_user.pk, "impact": 2, "urgency": 2,
        "configuration_item": mail_server.pk,
    })
    incident = Incident.objects.get()
    assert (incident.configuration_item, incident.service) == (mail_server, groupware)


def test_filter_sidebar_keeps_choices_selected(client, agent, team):
    client.force_login(agent)
    page = client.get(LIST, {"queue": "all", "state": ["new", "on_hold"], "assignment_group": team.pk}).content.decode()
    assert '<option value="new" selected>' in page and '<option value="on_hold" selected>' in page
    assert f'<option value="{team.pk}" selected>' in page
    assert '<option value="closed">' in page


def test_edit_keeps_caller_when_left_empty(client, agent, end_user, open_incident):
    incident = open_incident()
    client.force_login(agent)
    client.post(reverse("incidents:incident_update", args=[incident.pk]), {
        "title": "제목 수정", "caller": "", "impact": 3, "urgency": 3, "version": incident.version,
    })
    incident.refresh_from_db()
    assert (incident.title, incident.caller) == ("제목 수정", end_user)


def test_comment_with_an_executable_renamed_pdf_is_refused(client, agent, open_incident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = open_incident()
    client.force_login(agent)
    upload = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56, content_type="application/pdf")
    response = client.post(reverse("incidents:incident_comment", args=[incident.pk]),
                           {"body": "see attached", "files": [upload]})
    assert response.status_code == 400
    assert "The content of invoice.pdf is not a .pdf file." in response.content.decode()
    assert not incident.attachments.exists() and not incident.comments.exists()


# Pinned (issue 12). The search page runs the queue page's queries (core/tests/test_ticket_list_view),
# its capped count reading the matching ids that pick the page's plan (incidents.paging), for a
# word as for a whole number (an exact look-up). The record page: session, user, roles, the incident and its
# relations, SLA clocks, timeline, children, the form's choices and the navigation's approvals.
# Issue 13: +1, the navigation's approvals count asks the service requests' source too.
# Issue 15: the record page +2, event management's panel (the incident's alerts, and the CIs its
# alerts name, where the suspected changes would start).
# Issue 12, third round: +1, the Major tab counted apart through its own partial index, so that the
# open-work tabs' counts read the open incidents' covering index alone (incidents.filtersets.queue_counts).
# Then -7: the filter and bulk forms' lists (teams, once for both; agents twice; categories;
# services) and the breaching-soon window's calendars are kept per process (core.choices_memo,
# core.memo), and so are the record page's lists (categories, subcategories, services, teams: -4).
# Issue 12, fifth round: -1, the navigation's approvals badge is one statement for every source
# (core.approvals: the service requests' count and the changes' candidates together).
# Then -1: the user's roles (and whether they are in a team) are kept per process under the
# generation a change of membership moves (accounts.roles.membership).
# Issue 12, sixth round: -2, the tab counts (the open-work tabs' aggregate, Major and the capped
# All) are one statement, compiled once per person (incidents.filtersets.queue_counts).
# Then -1: the page's rows, their related rows' names and clocks in two statements written once per
# process (incidents.views.queue_rows), not the rows, clocks and one look-up per related model.
PINNED_DESK_SEARCH_WORD_QUERIES = 8
# The number search -1 more: a count of one id (or none) is its page, without a second statement
# to sort it (incidents.paging.CappedCountPaginator.short_list_is_page).
PINNED_DESK_SEARCH_NUMBER_QUERIES = 7
# Issue 12, second round: the record page -1, its visibility check and its read are one query.
# Sixth round: the same with a group, categories and a service set (-3 for such an incident: their rows
# are no longer read, the form's kept lists name them; IncidentDetailView.SHOWN_RELATIONS).
# Seventh round: -1, the event-management panel takes its alerts' CIs from the alerts it read
# (fewer than it shows: all of them) instead of reading them again (monitoring.panels).
PINNED_DESK_DETAIL_QUERIES = 11


def test_the_desk_search_and_record_page_run_pinned_queries(client, agent, open_incident, django_assert_num_queries,
                                                            team, network, estate):
    incidents = [open_incident(title=f"VPN drop {i}") for i in range(3)]
    client.force_login(agent)
    url = reverse("incidents:incident_list")
    client.get(url, {"search": "vpn"})  # session and caches warm
    with django_assert_num_queries(PINNED_DESK_SEARCH_WORD_QUERIES):
        response = client.get(url, {"search": "vpn"})
    assert len(response.context["page"].object_list) == 3
    with django_assert_num_queries(PINNED_DESK_SEARCH_NUMBER_QUERIES):
        response = client.get(url, {"search": incidents[1].number.lower()})
    assert [i.pk for i in response.context["page"].object_list] == [incidents[1].pk]
    detail = reverse("incidents:incident_detail", args=[incidents[0].pk])
    client.get(detail)  # the record form's lists kept
    with django_assert_num_queries(PINNED_DESK_DETAIL_QUERIES):
        assert client.get(detail).status_code == 200
    parent, vpn = network
    groupware, _mail = estate
    filed = open_incident(title="VPN drop", assignment_group=team, category=parent, subcategory=vpn,
                          service=groupware)
    detail = reverse("incidents:incident_detail", args=[filed.pk])
    client.get(detail)
    with django_assert_num_queries(PINNED_DESK_DETAIL_QUERIES):
        response = client.get(detail)
    page = response.content.decode()
    assert f'<option value="{team.pk}" selected>' in page and f'<option value="{groupware.pk}" selected>' in page


def test_every_tab_counts_what_its_queue_lists(agent, end_user, open_incident):
    """The tab counts are taken among open and resolved incidents (issue 12): each still equals
    the number of incidents its queue lists."""
    from incidents.filtersets import Queue, queue_counts, queue_q

    open_incident(title="Mine", assigned_to=agent)
    open_incident(title="Unassigned")
    major = open_incident(title="Major", is_major=True)
    services.resolve(major, actor=agent, channel=Channel.WEB, code="user_error", notes="Done")
    done = open_incident(title="Done")
    services.resolve(done, actor=agent, channel=Channel.WEB, code="user_error", notes="Done")
    services.close(Incident.objects.get(pk=done.pk), actor=agent, channel=Channel.WEB)
    visible = Incident.objects.visible_to(agent)
    counts = queue_counts(agent)
    assert counts == {value: visible.filter(queue_q(value, agent)).count() for value, _label in Queue.choices}
    assert (counts[Queue.ALL], counts[Queue.MAJOR]) == (4, 1)


def test_a_queue_listed_as_it_is_pages_by_its_tab_s_count(client, agent, team, open_incident):
    """A queue with no other filter takes its page count from its tab (issue 12, eighth round):
    each tab's list still pages over exactly the incidents it counts; a filter, a search or All
    (whose tab stops at a cap) count the list on their own."""
    from incidents.filtersets import Queue, queue_q
    from incidents.paging import KnownCountPaginator

    for n in range(26):
        open_incident(title=f"Open {n}", assignment_group=team, assigned_to=agent if n % 2 else None,
                      impact=1 + n % 3)
    major = open_incident(title="Major", is_major=True)
    services.resolve(major, actor=agent, channel=Channel.WEB, code="user_error", notes="Done")
    client.force_login(agent)
    visible = Incident.objects.visible_to(agent)
    for value, _label in Queue.choices:
        expected = list(visible.filter(queue_q(value, agent)).values_list("pk", flat=True))
        seen, page = [], 1
        while True:
            response = client.get(LIST, {"queue": value, "page": page})
            tabs = {tab: count for tab, _label, count in response.context["queues"]}
            paginator = response.context["page"].paginator
            assert paginator.count == tabs[value] == len(expected), value
            assert isinstance(paginator, KnownCountPaginator) == (value != Queue.ALL), value
            seen += [incident.pk for incident in response.context["page"].object_list]
            if not response.context["page"].has_next():
                break
            page += 1
        assert sorted(seen) == sorted(expected), value
    assert client.get(LIST, {"queue": Queue.OPEN}).context["page"].paginator.num_pages == 2
    for query in ({"queue": Queue.OPEN, "priority": "1"}, {"queue": Queue.MINE, "search": "Open"}):
        paginator = client.get(LIST, query).context["page"].paginator
        assert not isinstance(paginator, KnownCountPaginator)
        assert paginator.count == visible.filter(queue_q(query["queue"], agent)).filter(
            title__icontains="Open", **({"priority": 1} if "priority" in query else {})).count()


def test_a_major_incidents_page_counts_its_open_children(client, agent, open_incident):
    """The transition form's "also resolve" counts every open child (issue 12, sixth round: a window
    count in the children's statement, not a join in the record's read); the list shows the newest."""
    major = open_incident(title="Mail down for everyone", is_major=True)
    children = [open_incident(title=f"Mail down {i}", parent=major) for i in range(3)]
    Incident.objects.filter(pk=children[0].pk).update(state=IncidentState.CLOSED)
    client.force_login(agent)
    page = client.get(reverse("incidents:incident_detail", args=[major.pk])).content.decode()
    assert "2 open child incidents." in page
    assert all(child.number in page for child in children)
    alone = open_incident(title="Mail down, no children yet", is_major=True)
    page = client.get(reverse("incidents:incident_detail", args=[alone.pk])).content.decode()
    assert "open child incident" not in page and "None linked yet." in page
    page = client.get(reverse("incidents:incident_detail", args=[children[1].pk])).content.decode()
    assert "open child incident" not in page and major.number in page
def test_the_kept_tab_counts_statement_counts_for_each_person_as_the_rows_are(agent, other_agent,
                                                                            open_incident):
    """queue_counts compiles its statement once per person (issue 12, sixth round): later calls
    count the rows as they are then, for their own person (the instants: test_sla_queues)."""
    from incidents.filtersets import Queue, queue_counts, queue_q

    def expected(user):
        visible = Incident.objects.visible_to(user)
        return {value: visible.filter(queue_q(value, user)).count() for value, _label in Queue.choices}

    open_incident(title="Mine", assigned_to=agent)
    first = queue_counts(agent)
    open_incident(title="Also mine", assigned_to=agent)
    assert queue_counts(agent) == expected(agent)
    assert queue_counts(agent)[Queue.MINE] == first[Queue.MINE] + 1 == 2
    assert queue_counts(other_agent) == expected(other_agent)
    assert queue_counts(other_agent)[Queue.MINE] == 0
