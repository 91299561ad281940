"""Agent desk pages: constant query counts, forms and refusals shown on the page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes.choices import ChangeState as S
from changes.models import Change
from changes.tests.factories import START, make_change, make_ci, to_authorize

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/changes/", f"/changes/calendar/?date={START.date().isoformat()}"])
def test_list_and_calendar_query_counts_constant(client, agent, url):
    client.force_login(agent)
    cis = [make_ci(f"ci{i}") for i in range(2)]
    for _ in range(2):
        to_authorize(make_change(agent, cis=cis), agent)
    few = count_queries(client, url)
    for _ in range(6):
        to_authorize(make_change(agent, cis=cis), agent)
    assert count_queries(client, url) == few


def test_end_user_refused(client, end_user):
    client.force_login(end_user)
    assert client.get("/changes/").status_code == 403
    assert client.get("/changes/calendar/").status_code == 403


def test_create_through_form(client, agent):
    client.force_login(agent)
    ci = make_ci("db01")
    response = client.post("/changes/new/", {
        "title": "Upgrade db01", "type": "normal", "planned_start": "2026-12-10T22:00",
        "planned_end": "2026-12-11T01:00", "affected_cis_text": "db01", "implementation_plan": "a",
        "backout_plan": "b", "test_plan": "c"})
    assert response.status_code == 302
    change = Change.objects.get()
    assert list(change.affected_cis.all()) == [ci]


def test_unknown_ci_in_form(client, agent):
    client.force_login(agent)
    response = client.post("/changes/new/", {"title": "x", "type": "normal", "affected_cis_text": "nope"})
    assert response.status_code == 400
    assert "Unknown configuration items: nope" in response.content.decode()


def test_own_change_approval_refused_on_page(client, agent):
    change = to_authorize(make_change(agent), agent)
    client.force_login(agent)
    page = client.get(f"/changes/{change.pk}/").content.decode()
    assert 'data-testid="approval-form"' not in page
    response = client.post(f"/changes/{change.pk}/approve/", {"decision": "approve"})
    assert response.status_code == 400
    assert "never approves their own change" in response.content.decode()
    assert Change.objects.get(pk=change.pk).state == S.AUTHORIZE


def test_invalid_transition_on_page_names_allowed(client, agent):
    change = make_change(agent)
    client.force_login(agent)
    response = client.post(f"/changes/{change.pk}/transition/", {"target": "closed", "version": change.version})
    assert response.status_code == 400
    assert "Allowed: assess, cancelled" in response.content.decode()


def test_manager_approves_on_page(client, agent, manager):
    change = to_authorize(make_change(agent, start=START + timedelta(days=1)), agent)
    client.force_login(manager)
    assert 'data-testid="approval-form"' in client.get(f"/changes/{change.pk}/").content.decode()
    response = client.post(f"/changes/{change.pk}/approve/", {"decision": "approve", "comment": "ok"})
    assert response.status_code == 302
    assert Change.objects.get(pk=change.pk).state == S.SCHEDULED


def test_the_planned_window_filters_are_date_pickers_a_person_can_use(client, agent):
    """Issue 11, item 5: date filters take a date from a picker, not an ISO date-time typed by hand."""
    from django.utils import timezone

    soon = make_change(agent, title="Soon", start=START)
    make_change(agent, title="Later", start=START + timedelta(days=30))
    client.force_login(agent)
    page = client.get("/changes/").content.decode()
    assert 'type="date" name="planned_after"' in page and 'type="date" name="planned_before"' in page
    day_after_soon = (timezone.localtime(soon.planned_start) + timedelta(days=1)).date().isoformat()
    listed = client.get("/changes/", {"planned_before": day_after_soon})
    assert [c.title for c in listed.context["page"].object_list] == ["Soon"]
    bad = client.get("/changes/", {"planned_before": "next tuesday"})
    assert "Enter a date (YYYY-MM-DD)." in bad.content.decode()  # said on the page, what was typed kept
    assert 'value="next tuesday"' in bad.content.decode()
