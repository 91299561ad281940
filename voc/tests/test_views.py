"""Desk and portal pages of VOC, and the API."""

from django.urls import reverse

from core.choices import Channel
from voc import services
from voc.choices import VocState
from voc.models import Voc


def test_desk_list_filters_by_kind_and_state_in_pinned_queries(client, agent, complaint, django_assert_num_queries):
    services.create_voc(actor=agent, channel=Channel.WEB, kind="suggestion", title="다크 모드")
    services.create_voc(actor=agent, channel=Channel.WEB, kind="inquiry", title="문의")
    client.force_login(agent)
    url = reverse("voc:list")
    client.get(url)
    with django_assert_num_queries(8):  # the approvals badge: one statement; the roles kept (issue 12)
        page = client.get(url, {"kind": "complaint", "state": "new"})
    body = page.content.decode()
    assert body.count('data-testid="voc-row"') == 1 and complaint.number in body
    for _ in range(5):
        services.create_voc(actor=agent, channel=Channel.WEB, kind="complaint", title="또")
    with django_assert_num_queries(8):  # the approvals badge: one statement; the roles kept (issue 12)
        page = client.get(url, {"kind": "complaint", "state": "new"})
    assert page.content.decode().count('data-testid="voc-row"') == 6
    assert "could not be applied" in client.get(url, {"kind": "rant"}).content.decode()


def test_desk_detail_respond_then_close_and_closing_without_response_is_400(client, agent, complaint):
    client.force_login(agent)
    assert client.get(reverse("voc:detail", args=[complaint.pk])).status_code == 200
    response = client.post(reverse("voc:transition", args=[complaint.pk]),
                           {"state": "withdrawn", "version": complaint.version})
    assert response.status_code == 302
    other = services.create_voc(actor=agent, channel=Channel.WEB, kind="complaint", title="불친절")
    other = services.transition_voc(other, VocState.IN_PROGRESS, actor=agent, channel=Channel.WEB)
    refused = client.post(reverse("voc:respond", args=[other.pk]), {"response": "", "version": other.version})
    assert refused.status_code == 400 and "response" in refused.content.decode().lower()
    done = client.post(reverse("voc:respond", args=[other.pk]), {"response": "사과드립니다.", "version": other.version})
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.state == VocState.RESPONDED
    closed = client.post(reverse("voc:transition", args=[other.pk]), {"state": "closed", "version": other.version})
    assert closed.status_code == 302 and Voc.objects.get(pk=other.pk).state == VocState.CLOSED


def test_desk_create_edit_and_escalate(client, agent, end_user, service, owners):
    client.force_login(agent)
    assert client.get(reverse("voc:create")).status_code == 200
    response = client.post(reverse("voc:create"), {"kind": "complaint", "title": "전화 연결이 안 됩니다",
                                                   "channel": "phone", "reported_by": end_user.pk,
                                                   "service": service.pk})
    assert response.status_code == 302
    voc = Voc.objects.get()
    assert (voc.channel, voc.reported_by, voc.service) == ("phone", end_user, service)
    assert client.get(reverse("voc:update", args=[voc.pk])).status_code == 200
    escalated = client.post(reverse("voc:escalate", args=[voc.pk]), {"reason": "재민원", "version": voc.version})
    assert escalated.status_code == 302
    assert Voc.objects.get().assignment_group == owners


def test_portal_new_and_mine_and_nobody_elses(client, end_user, other_end_user, service):
    client.force_login(end_user)
    assert client.get(reverse("voc_portal:create")).status_code == 200
    bad = client.post(reverse("voc_portal:create"), {"kind": "rant", "title": "x", "description": "y"})
    assert bad.status_code == 400
    response = client.post(reverse("voc_portal:create"), {"kind": "suggestion", "title": "모바일 앱",
                                                         "description": "앱이 있으면 좋겠습니다", "service": service.pk})
    assert response.status_code == 302
    voc = Voc.objects.get()
    assert (voc.channel, voc.reported_by) == ("portal", end_user)
    assert voc.number in client.get(reverse("voc_portal:list")).content.decode()
    assert client.get(reverse("voc_portal:detail", args=[voc.pk])).status_code == 200
    client.force_login(other_end_user)
    assert client.get(reverse("voc_portal:detail", args=[voc.pk])).status_code == 404
    assert client.get(reverse("voc:list")).status_code == 403


def test_api_create_read_and_close_rules(api_as, agent, end_user, other_end_user, service):
    mine = api_as(end_user)
    created = mine.post("/api/v1/voc/", {"kind": "complaint", "title": "느립니다", "description": "매우",
                                         "service": service.pk}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"].startswith("VOC") and body["tickets"] == [] and body["due_at"]
    assert {"id", "number", "kind", "state", "title", "description", "organisation", "service", "tickets",
            "response", "due_at", "version"} <= set(body)
    assert mine.post("/api/v1/voc/", {"kind": "complaint", "title": "x", "response": "x"},
                     format="json").status_code == 403
    assert mine.post("/api/v1/voc/", {"kind": "rant", "title": "x"}, format="json").status_code == 400
    assert api_as(other_end_user).get(f"/api/v1/voc/{body['number']}/").status_code == 404
    desk = api_as(agent)
    url = f"/api/v1/voc/{body['id']}/"
    refused = desk.patch(url, {"state": "responded", "version": body["version"]}, format="json")
    assert refused.status_code == 400 and "response" in refused.json()
    stale = desk.patch(url, {"state": "in_progress", "version": body["version"] + 5}, format="json")
    assert stale.status_code == 409
    responded = desk.patch(url, {"state": "responded", "response": "조치했습니다", "version": body["version"]},
                           format="json")
    assert responded.status_code == 200 and responded.json()["state"] == "responded"
    closed = desk.patch(url, {"state": "closed", "version": responded.json()["version"]}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    listed = desk.get("/api/v1/voc/", {"kind": "complaint", "state": "closed"})
    assert [r["number"] for r in listed.json()["results"]] == [body["number"]]


def test_api_list_query_count_is_constant(api_as, agent, django_assert_num_queries):
    desk = api_as(agent)
    services.create_voc(actor=agent, channel=Channel.WEB, kind="inquiry", title="1")
    desk.get("/api/v1/voc/")
    with django_assert_num_queries(4):
        desk.get("/api/v1/voc/")
    for n in range(5):
        services.create_voc(actor=agent, channel=Channel.WEB, kind="inquiry", title=str(n))
    # token with roles, count, rows, ticket links: the same for 1 or 6 rows
    with django_assert_num_queries(4):
        assert len(desk.get("/api/v1/voc/").json()["results"]) == 6


def test_empty_filter_values_mean_any(client, agent, complaint):
    client.force_login(agent)
    page = client.get(reverse("voc:list"), {"kind": "", "state": ""})
    assert page.status_code == 200 and complaint.number in page.content.decode()
    assert "could not be applied" not in page.content.decode()


def test_desk_search_finds_words_and_numbers(client, agent, complaint):
    client.force_login(agent)
    services.respond(complaint, actor=agent, channel=Channel.WEB, response="게이트웨이를 교체했습니다")
    for text in ("답변이", complaint.number, "게이트웨이를"):
        assert complaint.number in client.get(reverse("voc:list"), {"search": text}).content.decode(), text
