"""Desk pages of the register: list with filters (pinned queries), detail, forms, moves and
measurements; refusals answer 400 on the form that was refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from improvements.choices import ImprovementState as S
from improvements.models import Improvement
from improvements.tests.conftest import walk

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_source_type_state_and_owner(client, agent, other_agent, make_item):
    finding = make_item(title="Backups not tested", owner=agent, source_type="audit_finding")
    make_item(title="Chat on the portal", owner=other_agent)
    client.force_login(agent)
    url = reverse("improvements:list")
    page = client.get(url).content.decode()
    assert "Backups not tested" in page and "Chat on the portal" in page
    page = client.get(f"{url}?source_type=audit_finding&state=proposed&owner={agent.pk}").content.decode()
    assert "Backups not tested" in page and "Chat on the portal" not in page
    assert finding.number in page


def test_a_filter_that_cannot_be_applied_lists_nothing(client, agent, make_item):
    make_item(title="Visible only unfiltered")
    client.force_login(agent)
    page = client.get(reverse("improvements:list") + "?state=bogus").content.decode()
    assert "Visible only unfiltered" not in page


# 9 -> 7 (issue 12, fifth round): the navigation's approvals badge is one statement for every source
# (core.approvals); the user's roles are kept per process (accounts.roles.membership).
QUERIES_LIST = 7


def test_the_list_runs_a_pinned_number_of_queries(client, agent, make_item, django_assert_num_queries):
    for n in range(3):
        make_item(title=f"Item {n}", owner=agent)
    client.force_login(agent)
    url = reverse("improvements:list")
    client.get(url)  # warm the per-process caches
    # session, user, roles, count, rows with owner and change, state counts, owner filter choices,
    # the approvals inbox (changes, requests), …
    with django_assert_num_queries(QUERIES_LIST):
        client.get(url)
    for n in range(5):
        make_item(title=f"More {n}", owner=agent)
    with django_assert_num_queries(QUERIES_LIST):
        client.get(url)


def test_end_users_are_refused_the_desk_pages(client, end_user, make_item):
    item = make_item()
    client.force_login(end_user)
    assert client.get(reverse("improvements:list")).status_code == 403
    assert client.get(reverse("improvements:detail", args=[item.pk])).status_code == 403


def test_create_and_edit_through_the_forms(client, agent, make_item):
    client.force_login(agent)
    assert client.get(reverse("improvements:create")).status_code == 200
    response = client.post(reverse("improvements:create"), {
        "title": "Access rights not removed", "kind": "corrective_action", "source_type": "audit_finding",
        "benefit": "5", "effort": "3", "risk": "2", "owner": agent.username, "due_date": "2027-02-01",
        "nonconformity": "11 leavers still active"})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Improvement.objects.get()
    assert client.get(reverse("improvements:update", args=[item.pk])).status_code == 200
    assert (item.kind, item.source_type, item.priority, item.owner) == ("corrective_action", "audit_finding", 1, agent)
    response = client.post(reverse("improvements:update", args=[item.pk]), {
        "title": "Access rights not removed", "kind": "corrective_action", "source_type": "audit_finding",
        "benefit": "9", "effort": "3", "risk": "2", "version": item.version})
    assert response.status_code == 400


def test_closing_as_effective_without_a_result_shows_the_refusal(client, agent, make_item):
    item = walk(make_item(owner=agent), agent, S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED)
    client.force_login(agent)
    url = reverse("improvements:transition", args=[item.pk])
    response = client.post(url, {"state": "closed_effective", "version": item.version})
    assert response.status_code == 400
    assert "Closing as effective needs the result measurement." in response.content.decode()
    assert Improvement.objects.get(pk=item.pk).state == S.IMPLEMENTED
    response = client.post(url, {"state": "closed_effective", "version": item.version, "result_value": "3",
                                 "result_date": "2026-11-30"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == S.CLOSED_EFFECTIVE and item.verified_by == agent


def test_a_measurement_is_recorded_from_the_detail_page(client, agent, make_item):
    item = make_item()
    client.force_login(agent)
    detail = client.get(reverse("improvements:detail", args=[item.pk]))
    assert detail.status_code == 200 and item.number in detail.content.decode()
    response = client.post(reverse("improvements:measure", args=[item.pk]), {
        "which": "baseline", "value": "42", "unit": "incidents/month", "date": "2026-10-01", "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.baseline_value, item.baseline_unit, item.baseline_date) == (
        Decimal("42"), "incidents/month", date(2026, 10, 1))
    response = client.post(reverse("improvements:measure", args=[item.pk]), {
        "which": "result", "value": "x", "date": "", "version": item.version})
    assert response.status_code == 400
