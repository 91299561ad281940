import datetime as dt

from django.utils import timezone

from surveys import selectors, services
from surveys.models import Survey


def test_satisfaction_figures(survey_everything, resolve_incident, make_user, service, django_assert_num_queries):
    from accounts.roles import Role

    for score in (5, 4, 2, None):
        person = make_user(Role.END_USER, organisation="Finance")
        resolve_incident(caller=person)
        if score:
            services.answer(Survey.objects.get(respondent=person), score=score, actor=person)
    now = timezone.now()
    with django_assert_num_queries(2):
        figures = selectors.satisfaction(start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1))
    assert figures == {"responses": 3, "invited": 4, "response_rate": 75.0, "csat_percent": 66.7,
                       "score_100": 66.7, "low_scores": 1, "by_score": {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}}
    assert selectors.satisfaction(start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1),
                                  service=service)["responses"] == 3
    empty = selectors.satisfaction(start=now + dt.timedelta(days=1), end=now + dt.timedelta(days=2))
    assert empty["csat_percent"] is None and empty["score_100"] is None and empty["response_rate"] is None


def test_satisfaction_by_period_matches_one_call_per_period(survey_everything, resolve_incident, make_user,
                                                            django_assert_num_queries):
    """A report's twelve months of satisfaction in two queries, each month as satisfaction() says."""
    from accounts.roles import Role

    for score in (5, 4, 2, None):
        person = make_user(Role.END_USER, organisation="Finance")
        resolve_incident(caller=person)
        if score:
            services.answer(Survey.objects.get(respondent=person), score=score, actor=person)
    now = timezone.now()
    Survey.objects.filter(score=2).update(sent_at=now - dt.timedelta(days=40), answered_at=now - dt.timedelta(days=39))
    periods = [("earlier", now - dt.timedelta(days=60), now - dt.timedelta(days=30)),
               ("recent", now - dt.timedelta(days=30), now + dt.timedelta(days=1)),
               ("future", now + dt.timedelta(days=1), now + dt.timedelta(days=2))]
    with django_assert_num_queries(2):
        together = selectors.satisfaction_by_period(periods)
    assert together == {key: selectors.satisfaction(start=start, end=end) for key, start, end in periods}
    assert together["earlier"]["low_scores"] == 1 and together["recent"]["responses"] == 2
    assert together["future"]["invited"] == 0
