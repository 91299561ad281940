"""Surveys and VOC in a real browser (issue 16): a person answers the survey from the e-mail's link
without signing in (a second answer is refused), a Korean end user answers from the portal; a
complaint raised in the portal in Korean is answered and closed at the desk. Screenshots at 1440
and 390 px, English and Korean."""

import pytest

from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem
from conftest import screenshot
from core.choices import Channel
from incidents import services as incident_services
from surveys import links
from surveys.models import Survey, SurveyQuestion, SurveySetting
from voc.models import Voc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEB = Channel.WEB


def korean(page):
    page.select_option("#language-select", "ko")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")


def phone(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture
def groupware(team):
    service_class = CIClass.objects.get_or_create(slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0]
    return ConfigurationItem.objects.create(name="Groupware", ci_class=service_class, owner_group=team)


def resolved_survey(agent, caller, team, service, title):
    SurveySetting.objects.get_or_create(name="All", defaults={"ticket_types": ["incident"], "sampling_percent": 100})
    incident = incident_services.open_incident(actor=agent, channel=WEB, title=title, caller=caller, service=service,
                                               assignment_group=team)
    incident_services.resolve(incident, actor=agent, channel=WEB, code="solved_workaround", notes="Done")
    return Survey.objects.get(object_id=incident.pk)


def test_the_mail_link_answers_once_without_signing_in(page, agent, end_user, team, groupware, live_server):
    SurveyQuestion.objects.create(text="Was the agent courteous?", text_ko="담당자는 친절했습니까?", kind="scale")
    survey = resolved_survey(agent, end_user, team, groupware, "Mail quota full")
    url = links.answer_url(survey, 2).split("/portal/", 1)[1]
    page.set_viewport_size({"width": 1440, "height": 900})
    # when: the person clicks "2" in the e-mail
    page.goto("/portal/" + url)
    assert page.locator("input[name=score][value='2']").is_checked()
    page.fill("#id_comment", "It took three days.")
    screenshot(page, "survey-link-en-1440")
    phone(page, "survey-link-en")
    page.get_by_test_id("survey-submit").click()
    # then: thanks, and the answer is shown as given
    page.get_by_test_id("survey-already-answered").wait_for()
    assert "Thank you for your answer." in page.content()
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (2, "It took three days.")
    # when: the link is used again with another score, nothing changes
    page.goto("/portal/" + url.split("?")[0] + "?score=5")
    page.get_by_test_id("survey-already-answered").wait_for()
    screenshot(page, "survey-link-again-en-1440")
    # and a forged link says so plainly
    response = page.goto("/portal/surveys/link/forged:token/")
    assert response.status == 400
    page.get_by_test_id("survey-link-error").wait_for()
    screenshot(page, "survey-link-forged-en-1440")
    survey.refresh_from_db()
    assert survey.score == 2


def test_a_korean_end_user_answers_from_the_portal(page, login, agent, end_user, team, groupware):
    SurveyQuestion.objects.create(text="Was it fixed the first time?", text_ko="한 번에 해결되었습니까?", kind="yes_no")
    survey = resolved_survey(agent, end_user, team, groupware, "VPN 접속 불가")
    page.set_viewport_size({"width": 1440, "height": 900})
    login(end_user)
    korean(page)
    page.goto("/portal/surveys/")
    page.get_by_test_id("pending-survey").click()
    page.get_by_test_id("survey-form").wait_for()
    page.locator("label.survey-choice", has_text="5 · 매우 만족").click()
    page.fill("#id_comment", "빠르게 해결해 주셔서 감사합니다.")
    page.locator("summary").click()
    screenshot(page, "survey-portal-ko-1440")
    phone(page, "survey-portal-ko")
    page.get_by_test_id("survey-submit").click()
    page.get_by_test_id("survey-already-answered").wait_for()
    assert "응답해 주셔서 감사합니다." in page.content()
    survey.refresh_from_db()
    assert survey.score == 5
    page.goto("/portal/surveys/")
    page.get_by_test_id("answered-surveys").wait_for()
    screenshot(page, "survey-list-ko-1440")
    phone(page, "survey-list-ko")


def test_a_portal_complaint_is_answered_and_closed_at_the_desk(page, login, agent, end_user, groupware):
    page.set_viewport_size({"width": 1440, "height": 900})
    login(end_user)
    korean(page)
    page.goto("/portal/voc/new/")
    page.locator("label.voc-kind", has_text="불만").click()
    page.fill("#id_title", "상담 전화가 계속 통화 중입니다")
    page.fill("#id_description", "오전 내내 연결되지 않았습니다.")
    page.select_option("#id_service", str(groupware.pk))
    screenshot(page, "voc-portal-new-ko-1440")
    phone(page, "voc-portal-new-ko")
    page.get_by_test_id("voc-submit").click()
    page.get_by_test_id("voc-title").wait_for()
    voc = Voc.objects.get()
    assert voc.kind == "complaint" and voc.channel == "portal"
    screenshot(page, "voc-portal-detail-ko-1440")
    phone(page, "voc-portal-detail-ko")
    # the desk
    page.context.clear_cookies()
    login(agent)
    page.goto("/voc/?kind=complaint&state=new")
    page.get_by_test_id("voc-row").wait_for()
    screenshot(page, "voc-desk-list-en-1440")
    phone(page, "voc-desk-list-en")
    page.get_by_text(voc.number).click()
    page.get_by_test_id("respond-form").wait_for()
    # closing without a response is not offered; trying the response empty is refused
    page.get_by_test_id("respond-form").locator("button").click()
    page.locator(".alert-danger, .invalid-feedback").first.wait_for()
    screenshot(page, "voc-desk-refused-en-1440")
    page.fill("#id_response", "We added two people to the phone line in the mornings.")
    page.get_by_test_id("respond-form").locator("button").click()
    page.wait_for_selector("[data-testid=voc-state][data-state=responded]")
    page.select_option("#id_state", "closed")
    page.get_by_test_id("transition-form").locator("button").click()
    page.wait_for_selector("[data-testid=voc-state][data-state=closed]")
    screenshot(page, "voc-desk-detail-en-1440")
    phone(page, "voc-desk-detail-en")
    voc.refresh_from_db()
    assert voc.state == "closed" and voc.response
