"""My requests in the portal: who sees a request, its progress and step indicator, comments and
cancelling; the progress rules themselves without HTTP."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from core.models import Comment
from fulfilment import portal_progress as progress
from fulfilment.tests.portal_fixtures import (  # noqa: F401  (fixtures)
    approve, fulfilment_team, hardware, laptop, make_request, make_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


def test_a_request_for_someone_else_is_visible_to_both_people_and_nobody_else(
        signed_in, end_user, other_end_user, make_user, agent, laptop):
    order, _line = make_request(end_user, laptop, requested_for=other_end_user)
    url = reverse("portal_requests:request_detail", args=[order.pk])
    stranger = make_user("end_user", username="stranger")
    for user, expected in ((end_user, 200), (other_end_user, 200), (stranger, 404), (agent, 404)):
        client = signed_in(user)
        assert client.get(url).status_code == expected, user
        listed = [o.pk for o in client.get(reverse("portal_requests:requests")).context["page"].object_list]
        assert (order.pk in listed) == (expected == 200)
    assert signed_in(end_user).get(reverse("portal_requests:request_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("n", [1, 5])
def test_my_requests_uses_a_constant_number_of_queries(signed_in, end_user, laptop, n,
                                                       django_assert_num_queries):
    for _ in range(n):
        make_request(end_user, laptop)
    client = signed_in(end_user)
    client.get(reverse("portal_requests:requests"))
    # session, user, count, page, items with their catalog items (roles: kept per process)
    with django_assert_num_queries(5):
        assert client.get(reverse("portal_requests:requests")).status_code == 200


def test_request_page_shows_approval_stages_tasks_and_steps(signed_in, end_user, manager, laptop):
    # given: approved, stage 1 of 2 running with one of its two tasks done
    order, line = make_request(end_user, laptop, state="in_fulfilment")
    line.current_stage = 1
    line.save()
    approve(line, manager, comment="Go ahead")
    first, second, handover = laptop.task_templates.order_by("stage", "order")
    make_task(line, first, stage=1, state="done")
    make_task(line, second, stage=1, state="in_progress")
    make_task(line, handover, stage=2, state="pending")
    # when
    response = signed_in(end_user).get(reverse("portal_requests:request_detail", args=[order.pk]))
    # then
    (view,) = response.context["progresses"]
    assert view.headline == "Stage 1 of 2: 1 of 2 tasks done"
    assert [s.status for s in view.approval_stages] == ["approved"]
    assert [s.status for s in view.fulfilment_stages] == ["active", "waiting"]
    assert [(s.state, s.status) for s in response.context["steps"]] == [
        ("submitted", "done"), ("awaiting_approval", "done"), ("in_fulfilment", "current"), ("fulfilled", "todo")]
    body = response.content.decode()
    assert "Prepare the laptop" in body and "Standard laptop" in body


def test_a_rejection_shows_its_reason(signed_in, end_user, manager, laptop):
    order, line = make_request(end_user, laptop, state="rejected")
    line.rejection_reason = "Budget frozen until January"
    line.save()
    approve(line, manager, decision="reject", comment="Budget frozen until January")
    response = signed_in(end_user).get(reverse("portal_requests:request_detail", args=[order.pk]))
    (view,) = response.context["progresses"]
    assert view.approval_stages[0].status == "rejected"
    assert "Budget frozen until January" in response.content.decode()
    assert [s.status for s in response.context["steps"]][:2] == ["done", "stopped"]
    assert response.context["can_cancel"] is False


def test_the_person_it_was_ordered_for_comments_publicly(signed_in, end_user, other_end_user, laptop):
    order, _line = make_request(end_user, laptop, requested_for=other_end_user)
    client = signed_in(other_end_user)
    url = reverse("portal_requests:request_detail", args=[order.pk])
    response = client.post(url, {"action": "comment", "body": "Please deliver to the 3rd floor"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author == other_end_user and not comment.internal and comment.channel == "portal"
    assert "Please deliver to the 3rd floor" in signed_in(end_user).get(url).content.decode()


def test_an_empty_comment_is_refused_on_the_field(signed_in, end_user, laptop):
    order, _line = make_request(end_user, laptop)
    response = signed_in(end_user).post(reverse("portal_requests:request_detail", args=[order.pk]),
                                        {"action": "comment", "body": "  "})
    assert response.status_code == 400
    assert "body" in response.context["comment_form"].errors


def test_others_cannot_comment_or_cancel(signed_in, end_user, other_end_user, laptop):
    order, _line = make_request(end_user, laptop)
    client = signed_in(other_end_user)
    url = reverse("portal_requests:request_detail", args=[order.pk])
    assert client.post(url, {"action": "comment", "body": "hi"}).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404
    assert not Comment.objects.exists()


# --- the rules, without HTTP ------------------------------------------------------------------

def _stage(**kw):
    return {"order": 1, "name": "Approval", "approver": "group", "group_name": "Finance", **kw}


@pytest.mark.parametrize("stage, words", [
    ({"approver": "line_manager"}, "your line manager"),
    (_stage(mode="any"), "one member of Finance"),
    (_stage(mode="all"), "every member of Finance"),
    (_stage(mode="quorum", quorum=2), "2 members of Finance"),
])
def test_approver_in_words(stage, words):
    assert progress.approver_words(stage) == words


def test_approval_summary_lists_stages_in_order():
    assert progress.approval_summary([]) == "No approval needed: fulfilment starts as soon as you submit."
    assert progress.approval_summary([{"approver": "line_manager"}, _stage(mode="all")]) == (
        "Approved in 2 stages: your line manager, then every member of Finance.")


def test_steps_of_a_request_that_needed_no_approval():
    steps = progress.request_steps(SimpleNamespace(state="in_fulfilment", approved_at=None), needs_approval=False)
    assert [s.status for s in steps] == ["done", "skipped", "current", "todo"]
    fulfilled = progress.request_steps(SimpleNamespace(state="fulfilled", approved_at=None))
    assert [s.status for s in fulfilled] == ["done", "done", "done", "done"]


def test_answer_rows_read_choices_yes_no_and_people(laptop):
    rows = progress.answer_rows(laptop, {"model": "developer", "needs_software": True, "software": "IDE"})
    assert rows == [("Model", "Developer laptop"), ("Extra software needed?", "Yes"), ("Which software?", "IDE")]


@pytest.mark.parametrize("with_tasks", [False, True])
def test_the_request_page_uses_a_constant_number_of_queries(signed_in, end_user, manager, laptop, hardware,
                                                            with_tasks, django_assert_num_queries):
    from fulfilment.models import RequestItem

    order, line = make_request(end_user, laptop, state="in_fulfilment")
    approve(line, manager)
    lines = [line]
    if with_tasks:  # more items, approvals and tasks: the same queries
        for _ in range(2):
            extra = RequestItem.objects.create(request=order, catalog_item=laptop, answers={"model": "standard"},
                                               state="in_fulfilment", approval_plan=line.approval_plan)
            approve(extra, manager)
            lines.append(extra)
        for extra in lines:
            for template in laptop.task_templates.all():
                make_task(extra, template, stage=template.stage, state="open")
    client = signed_in(end_user)
    url = reverse("portal_requests:request_detail", args=[order.pk])
    client.get(url)
    # session, user, request, items, approvals, task templates, tasks, the timeline's comments,
    # files and audit rows (the content type and the roles are kept)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
