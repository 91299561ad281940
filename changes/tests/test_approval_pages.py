"""My approvals page, the navigation's count and the change page's approval panel: a manager's
view of their approvals, in a constant number of queries, and the one-stage-per-person rule on
the page and in the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from changes import services
from changes.choices import Risk
from changes.models import Approval
from changes.tests.factories import authorize_high, make_change, make_two_stage_policy, to_authorize
from core.choices import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(cab):
    return make_two_stage_policy(cab)


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_inbox_lists_what_the_manager_may_decide(client, requester, cab, board):
    change = authorize_high(requester, title="Replace the core switch")
    client.force_login(cab[0])

    page = client.get("/approvals/").content.decode()

    assert page.count('data-testid="approval-row"') == 1
    assert f'href="/changes/{change.pk}/"' in page and change.number in page
    assert "Replace the core switch" in page and "Change manager" in page and str(requester) in page
    assert "High" in page


def test_nav_shows_the_count_on_every_desk_page(client, requester, cab, board):
    authorize_high(requester)
    authorize_high(requester, title="another")
    client.force_login(cab[0])

    page = client.get("/incidents/").content.decode()

    assert 'data-testid="nav-approvals"' in page
    assert '<span aria-hidden="true" data-testid="nav-approvals-count">2</span>' in page and "2 decisions waiting" in page


def test_nav_without_pending_approvals_has_no_badge(client, agent):
    client.force_login(agent)
    page = client.get("/incidents/").content.decode()
    assert 'data-testid="nav-approvals"' in page and 'data-testid="nav-approvals-count"' not in page


def test_empty_inbox_says_so(client, agent):
    client.force_login(agent)
    assert "Nothing is waiting for your decision." in client.get("/approvals/").content.decode()


def test_end_user_refused(client, end_user):
    client.force_login(end_user)
    assert client.get("/approvals/").status_code == 403


def test_inbox_and_nav_query_counts_are_constant(client, requester, cab, board):
    client.force_login(cab[1])
    authorize_high(requester)
    few_inbox, few_list = queries(client, "/approvals/"), queries(client, "/changes/")
    for index in range(5):
        authorize_high(requester, title=f"more {index}")
    assert queries(client, "/approvals/") == few_inbox
    assert queries(client, "/changes/") == few_list


def test_inbox_page_query_count_is_pinned(client, requester, cab, board):
    # Session, user (the roles are kept per process), then the change source's five (candidates, stages, managers, this
    # round's decisions, when each entered authorize), the service requests' one (nothing waits
    # for this person); the navigation's count reuses the same list.
    authorize_high(requester)
    client.force_login(cab[1])
    assert queries(client, "/approvals/") == 8


def test_buttons_name_the_stage(client, requester, cab, board):
    change = authorize_high(requester)
    client.force_login(cab[0])

    page = client.get(f"/changes/{change.pk}/").content.decode()

    assert "Approve — Change manager stage" in page and "Reject — Change manager stage" in page
    assert "any one member · 0 of 1 approval" in page and "quorum of 2 · 0 of 2 approvals" in page


def test_after_deciding_a_stage_the_next_is_not_offered_and_the_page_says_why(client, requester, cab, board):
    change = authorize_high(requester)
    client.force_login(cab[0])

    response = client.post(f"/changes/{change.pk}/approve/", {"decision": "approve", "comment": "ok"})
    assert response.status_code == 302
    page = client.get(f"/changes/{change.pk}/").content.decode()

    assert 'data-testid="approval-form"' not in page
    assert 'data-testid="approval-not-offered"' in page
    assert "You decided the stage “Change manager” of this change" in page
    client.force_login(cab[1])
    assert "Approve — CAB stage" in client.get(f"/changes/{change.pk}/").content.decode()


def test_second_post_by_the_same_person_is_refused_on_the_page(client, requester, cab, board):
    change = authorize_high(requester)
    client.force_login(cab[0])
    client.post(f"/changes/{change.pk}/approve/", {"decision": "approve", "comment": "ok"})

    response = client.post(f"/changes/{change.pk}/approve/", {"decision": "approve", "comment": "again"})

    assert response.status_code == 400
    assert "one stage per person in each approval round" in response.content.decode()
    assert Approval.objects.filter(change=change).count() == 1


def test_second_post_in_the_api_is_a_conflict(api_as, requester, cab, board):
    change = authorize_high(requester)
    client = api_as(cab[0])
    first = client.post(f"/api/v1/changes/{change.pk}/approve/", {"decision": "approve"}, format="json")
    assert first.status_code == 200

    second = client.post(f"/api/v1/changes/{change.pk}/approve/", {"decision": "approve"}, format="json")

    assert second.status_code == 409
    assert "one stage per person" in second.json()["detail"]


def test_count_drops_after_the_decision(client, requester, cab, board):
    change = authorize_high(requester)
    authorize_high(requester, title="another")
    client.force_login(cab[0])
    assert '<span aria-hidden="true" data-testid="nav-approvals-count">2</span>' in client.get("/approvals/").content.decode()

    services.decide_approval(change, actor=cab[0], channel=Channel.WEB, decision="approve")

    page = client.get("/approvals/").content.decode()
    assert '<span aria-hidden="true" data-testid="nav-approvals-count">1</span>' in page and page.count('data-testid="approval-row"') == 1


def test_korean_panel_and_inbox(client, requester, cab, board):
    change = authorize_high(requester)
    client.force_login(cab[0])
    client.cookies["django_language"] = "ko"

    page = client.get(f"/changes/{change.pk}/").content.decode()
    inbox = client.get("/approvals/").content.decode()

    assert "승인 — Change manager 단계" in page and "반려 — Change manager 단계" in page
    assert "구성원 중 1명 · 승인 0/1건" in page
    assert "내 승인" in inbox and "대기" in inbox


def test_manager_role_without_board_sees_default_policy_changes(client, requester, make_user):
    manager = make_user(Role.MANAGER, username="solo")
    change = to_authorize(make_change(requester), requester, risk=Risk.LOW)
    client.force_login(manager)
    page = client.get("/approvals/").content.decode()
    assert change.number in page and "Change manager" in page
