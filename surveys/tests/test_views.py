"""The portal answer page, the signed link, the desk pages and the API."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from surveys import links, services
from surveys.models import Survey


@pytest.fixture
def survey(survey_everything, resolve_incident):
    resolve_incident()
    return Survey.objects.get()


def sign_in(client, user):
    client.force_login(user)
    return client


def test_my_pending_surveys_and_the_answer_page(client, survey, end_user):
    sign_in(client, end_user)
    page = client.get(reverse("surveys_portal:list"))
    assert page.status_code == 200 and survey.ticket_number in page.content.decode()
    answer = client.get(reverse("surveys_portal:answer", args=[survey.pk]))
    assert answer.status_code == 200
    done = client.post(reverse("surveys_portal:answer", args=[survey.pk]), {"score": "5", "comment": "좋아요"})
    assert done.status_code == 302
    again = client.post(reverse("surveys_portal:answer", args=[survey.pk]), {"score": "1"})
    assert again.status_code == 409
    assert "first answer" in again.content.decode()
    survey.refresh_from_db()
    assert survey.score == 5


@pytest.mark.parametrize("score", ["0", "6", "five"])
def test_a_bad_score_is_a_400_naming_it(client, survey, end_user, score):
    sign_in(client, end_user)
    response = client.post(reverse("surveys_portal:answer", args=[survey.pk]), {"score": score})
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert Survey.objects.get().answered_at is None


def test_someone_elses_survey_is_a_404(client, survey, other_end_user):
    sign_in(client, other_end_user)
    assert client.get(reverse("surveys_portal:answer", args=[survey.pk])).status_code == 404


def test_the_signed_link_answers_without_signing_in_once(client, survey):
    url = links.answer_url(survey, 4).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + url)
    assert page.status_code == 200 and 'value="4" ' in page.content.decode().replace('value="4"', 'value="4" ')
    path = "/" + url.split("?")[0]
    assert client.post(path, {"score": "4"}).status_code == 302
    assert client.post(path, {"score": "2"}).status_code == 409
    assert Survey.objects.get().score == 4


def test_a_forged_link_is_a_400_and_an_expired_one_a_410(client, survey, settings):
    forged = signing.dumps({"s": survey.pk}, salt="something else")
    response = client.get(reverse("surveys_portal:link", args=[forged]))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert client.post(reverse("surveys_portal:link", args=[forged]), {"score": "5"}).status_code == 400
    token = links.token_for(survey)
    settings.SURVEY_LINK_MAX_AGE_DAYS = 0
    import time
    time.sleep(1.1)
    response = client.post(reverse("surveys_portal:link", args=[token]), {"score": "5"})
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert Survey.objects.get().answered_at is None


def test_the_desk_responses_list_filters_by_score_and_service_in_pinned_queries(
        client, agent, survey_everything, resolve_incident, make_user, service, django_assert_num_queries):
    from accounts.roles import Role

    for score in (1, 3, 5, 5):
        person = make_user(Role.END_USER, organisation="Finance")
        resolve_incident(caller=person)
        services.answer(Survey.objects.get(respondent=person), score=score, actor=person)
    sign_in(client, agent)
    url = reverse("surveys:responses")
    client.get(url)
    # the same number whatever the rows: session, user, nav (1: every approvals source in one
    # statement), the filters' choices (2), count, rows; the service filter adds its own lookup (the
    # roles are kept per process)
    with django_assert_num_queries(7):
        client.get(url)
    with django_assert_num_queries(8):
        page = client.get(url, {"score": "5", "service": service.pk})
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="response-row"') == 2
    assert client.get(url, {"score": "five"}).status_code == 200  # the list says the filter is wrong
    assert "could not be applied" in client.get(url, {"score": "five"}).content.decode()


def test_desk_pages_open(client, manager, survey, end_user):
    services.answer(survey, score=1, actor=end_user)
    sign_in(client, manager)
    for name in ("surveys:overview", "surveys:follow_ups", "surveys:campaign_create", "surveys:setting_create",
                 "surveys:question_create"):
        assert client.get(reverse(name)).status_code == 200, name
    assert survey.ticket_number in client.get(reverse("surveys:follow_ups")).content.decode()
    today = timezone.localdate()
    response = client.post(reverse("surveys:campaign_create"), {
        "name": "12월", "period_start": today - dt.timedelta(days=2), "period_end": today + dt.timedelta(days=1),
        "sample_size": 5, "seed": "1"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_end_users_do_not_open_desk_pages(client, end_user):
    sign_in(client, end_user)
    assert client.get(reverse("surveys:responses")).status_code == 403


def test_api_lists_responses_and_answers_once(api_as, survey, end_user, agent):
    api = api_as(end_user)
    for bad in (0, 6, "five"):
        response = api.post("/api/v1/surveys/responses/", {"ticket": survey.ticket_number, "score": bad}, format="json")
        assert response.status_code == 400 and "score" in response.json()
    created = api.post("/api/v1/surveys/responses/", {"ticket": survey.ticket_number, "score": 4, "comment": "ok"},
                       format="json")
    assert created.status_code == 201
    assert set(created.json()) == {"id", "ticket", "score", "comment", "created_at"}
    again = api.post("/api/v1/surveys/responses/", {"ticket": survey.ticket_number, "score": 1}, format="json")
    assert again.status_code == 409
    listed = api_as(agent).get("/api/v1/surveys/responses/", {"score": 4})
    assert listed.status_code == 200 and [r["ticket"] for r in listed.json()["results"]] == [survey.ticket_number]


def test_empty_filter_values_mean_any(client, agent, survey, end_user):
    services.answer(survey, score=3, actor=end_user)
    client.force_login(agent)
    page = client.get(reverse("surveys:responses"), {"score": "", "service": ""})
    assert page.content.decode().count('data-testid="response-row"') == 1
