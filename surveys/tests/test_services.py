"""Surveys after a resolution, the answer (once), the low-score follow-up and the events."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core import events, outbox
from core.exceptions import DomainError
from core.models import OutboxEvent
from surveys import services
from surveys.models import FollowUp, Survey, SurveyQuestion, SurveySetting


def test_no_setting_no_survey(resolve_incident):
    resolve_incident()
    assert not Survey.objects.exists()


def test_a_resolved_incident_sends_one_survey_by_mail_with_a_signed_link(survey_everything, resolve_incident,
                                                                         end_user, team, service):
    incident = resolve_incident()
    survey = Survey.objects.get()
    assert (survey.ticket_number, survey.respondent, survey.service, survey.assignment_group) == (
        incident.number, end_user, service, team)
    assert survey.expires_at - survey.sent_at == dt.timedelta(days=30)
    outbox.deliver_due()
    sent = [m for m in mail.outbox if m.to == [end_user.email] and incident.number in m.subject
            and "/portal/surveys/link/" in m.body]
    assert len(sent) == 1
    assert "?score=5" in sent[0].body and "?score=1" in sent[0].body


def test_the_sampling_rate_and_the_services_of_a_setting_choose_who_is_asked(resolve_incident, service, db):
    setting = SurveySetting.objects.create(name="None", ticket_types=["incident"], sampling_percent=0)
    resolve_incident()
    assert not Survey.objects.exists()
    setting.sampling_percent = 100
    setting.ticket_types = ["request"]
    setting.save()
    resolve_incident()
    assert not Survey.objects.exists()
    specific = SurveySetting.objects.create(name="Groupware", ticket_types=["incident"], sampling_percent=100)
    specific.services.set([service])
    resolve_incident()
    assert Survey.objects.count() == 1


def test_a_demo_load_sends_no_mail(survey_everything, resolve_incident):
    with events.quiet():
        resolve_incident()
    outbox.deliver_due()
    assert Survey.objects.count() == 1
    assert not [m for m in mail.outbox if "/portal/surveys/" in m.body]


def test_answering_publishes_survey_responded_and_a_second_answer_changes_nothing(survey_everything,
                                                                                  resolve_incident, end_user):
    resolve_incident()
    survey = Survey.objects.get()
    services.answer(survey, score="4", comment="빨랐습니다", actor=end_user)
    with pytest.raises(services.AlreadyAnswered) as refused:
        services.answer(survey, score=1, comment="changed my mind", actor=end_user)
    assert refused.value.status_code == 409
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "빨랐습니다")
    event = OutboxEvent.objects.get(name="survey.responded")
    assert event.data == {"score": 4, "ticket": survey.ticket_number}
    assert not OutboxEvent.objects.filter(name="survey.low_score").exists()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "five"])
def test_a_bad_score_is_refused_and_nothing_is_written(survey_everything, resolve_incident, end_user, score):
    resolve_incident()
    survey = Survey.objects.get()
    with pytest.raises(DomainError) as refused:
        services.answer(survey, score=score, actor=end_user)
    assert refused.value.field == "score"
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_expired_survey_is_refused(survey_everything, resolve_incident, end_user):
    resolve_incident()
    survey = Survey.objects.get()
    with pytest.raises(services.SurveyExpired):
        services.answer(survey, score=5, actor=end_user, now=timezone.now() + dt.timedelta(days=31))


def test_a_low_score_opens_a_follow_up_for_the_team_manager_and_publishes_survey_low_score(
        survey_everything, resolve_incident, end_user, manager, team, service):
    incident = resolve_incident()
    survey = services.answer(Survey.objects.get(), score=2, comment="너무 늦었습니다", actor=end_user)
    follow_up = FollowUp.objects.get()
    assert (follow_up.survey, follow_up.owner, follow_up.team, follow_up.state) == (survey, manager, team, "open")
    event = OutboxEvent.objects.get(name="survey.low_score")
    assert event.object_id == survey.pk
    assert event.data["score"] == 2 and event.data["comment"] == "너무 늦었습니다"
    assert event.data["ticket_id"] == incident.pk and event.data["ticket_content_type"] == survey.content_type_id
    assert (event.data["service"], event.data["organisation"], event.data["assignment_group"]) == (
        service.pk, end_user.organisation_id, team.pk)
    with pytest.raises(DomainError):
        services.close_follow_up(follow_up, actor=manager, note="")
    services.close_follow_up(follow_up, actor=manager, note="Called back; mail quota raised.")
    assert FollowUp.objects.get().state == "done"


def test_optional_questions_are_checked(survey_everything, resolve_incident, end_user):
    scale = SurveyQuestion.objects.create(text="Was the agent courteous?", kind="scale")
    yes_no = SurveyQuestion.objects.create(text="Fixed the first time?", kind="yes_no")
    resolve_incident()
    survey = Survey.objects.get()
    with pytest.raises(DomainError) as refused:
        services.answer(survey, score=5, answers={str(scale.pk): "7"}, actor=end_user)
    assert refused.value.field == f"q{scale.pk}"
    answered = services.answer(survey, score=5, answers={str(scale.pk): "5", str(yes_no.pk): "yes"}, actor=end_user)
    assert answered.answers == {str(scale.pk): 5, str(yes_no.pk): "yes"}


def test_a_periodic_survey_samples_the_people_served_reproducibly(resolve_incident, make_user, agent, db):
    from accounts.roles import Role

    people = [make_user(Role.END_USER, organisation="Finance" if i % 3 else "HR") for i in range(9)]
    for person in people:
        resolve_incident(caller=person)
    today = timezone.localdate()
    kwargs = dict(actor=agent, name="Q4", period_start=today - dt.timedelta(days=1),
                  period_end=today + dt.timedelta(days=1), sample_size=3, seed="2026")
    first = services.create_campaign(**kwargs)
    second = services.create_campaign(**kwargs)
    assert first.population == 9
    picked = sorted(first.surveys.values_list("respondent_id", flat=True))
    assert len(picked) == 3 and picked == sorted(second.surveys.values_list("respondent_id", flat=True))
    # 6 Finance and 3 HR people: 2 and 1 of them
    assert first.surveys.filter(organisation__name="HR").count() == 1
    with pytest.raises(DomainError):
        services.create_campaign(**{**kwargs, "period_end": kwargs["period_start"]})
