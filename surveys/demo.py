"""Demo satisfaction surveys: the settings and two optional questions, about 240 surveys on resolved
incidents and requests sent over the last 12 months (about two in three answered, scores getting
better over the year so the trend shows, a few low scores with their follow-ups) and one periodic
survey. Idempotent: nothing is added once demo surveys exist.

Answers go through surveys.services (audited, `survey.responded` / `survey.low_score` published,
quietly: the improvement register still raises items from the low scores, nobody is mailed)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core import demo
from core.demo import say
from surveys import services
from surveys.models import Survey, SurveyQuestion, SurveySetting

demo.korean({
    "Incidents and requests (30% sample)": "장애 및 서비스 요청 (30% 표본)",
    "Groupware: every resolution": "그룹웨어: 해결 건 전수",
    "Was the agent courteous?": "담당자는 친절했습니까?",
    "Was it fixed the first time?": "한 번에 해결되었습니까?",
    "Quick and friendly, thank you.": "빠르고 친절하게 처리해 주셔서 감사합니다.",
    "Solved, but it took several days.": "해결은 되었지만 며칠이 걸렸습니다.",
    "Nobody told me what was happening.": "진행 상황을 아무도 알려주지 않았습니다.",
    "The same problem came back the next day.": "다음 날 같은 문제가 다시 발생했습니다.",
    "Excellent service.": "훌륭한 서비스였습니다.",
    "Fine.": "괜찮았습니다.",
    "Periodic survey, last quarter": "지난 분기 정기 만족도 조사",
})

COMMENTS = {
    5: ("Quick and friendly, thank you.", "Excellent service.", ""),
    4: ("Fine.", "", "Quick and friendly, thank you."),
    3: ("Solved, but it took several days.", ""),
    2: ("Nobody told me what was happening.", "Solved, but it took several days."),
    1: ("The same problem came back the next day.",),
}


def _score(rng, months_ago):
    # Older months score lower: the desk improved over the year.
    weights = [(1, 4 + months_ago // 2), (2, 6 + months_ago // 2), (3, 14), (4, 36), (5, 40 - months_ago)]
    roll = rng.uniform(0, sum(w for _s, w in weights))
    for score, weight in weights:
        roll -= weight
        if roll <= 0:
            return score
    return 5


def _tickets(limit):
    from fulfilment.models import Request
    from incidents.models import Incident

    incidents = list(Incident.objects.filter(resolved_at__isnull=False, caller__is_active=True)
                     .select_related("caller").order_by("-resolved_at")[:limit])
    requests = list(Request.objects.filter(fulfilled_at__isnull=False, requested_for__is_active=True)
                    .select_related("requested_for").order_by("-fulfilled_at")[: limit // 3])
    return incidents, requests


def seed(ctx):
    if Survey.objects.exists():
        ctx.log(f"  surveys: {Survey.objects.count()} already present")
        return
    SurveySetting.objects.get_or_create(name=say("Incidents and requests (30% sample)"),
                                        defaults={"ticket_types": ["incident", "request"], "sampling_percent": 30})
    services_pool = ctx.shared.get("services") or []
    groupware = next((s for s in services_pool if "roupware" in s.name or "그룹웨어" in s.name), None)
    if groupware is not None:
        setting, _created = SurveySetting.objects.get_or_create(
            name=say("Groupware: every resolution"), defaults={"ticket_types": ["incident"], "sampling_percent": 100})
        setting.services.set([groupware])
    courteous, _c = SurveyQuestion.objects.get_or_create(
        text="Was the agent courteous?", defaults={"text_ko": "담당자는 친절했습니까?", "kind": "scale", "position": 1})
    first_time, _c = SurveyQuestion.objects.get_or_create(
        text="Was it fixed the first time?",
        defaults={"text_ko": "한 번에 해결되었습니까?", "kind": "yes_no", "position": 2})
    incidents, requests = _tickets(240)
    rng = ctx.rng
    now = timezone.now()
    rows = []
    for index, ticket in enumerate(incidents + requests):
        months_ago = index % 12
        sent_at = now - dt.timedelta(days=30 * months_ago + rng.randint(1, 27), hours=rng.randint(0, 9))
        respondent, organisation_id, service_id = services.ticket_facts(ticket)
        rows.append(Survey(content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk,
                           ticket_number=ticket.number, ticket_title=ticket.title[:200], respondent=respondent,
                           organisation_id=organisation_id, service_id=service_id,
                           assignment_group_id=ticket.assignment_group_id, sent_at=sent_at,
                           expires_at=sent_at + dt.timedelta(days=services.link_days())))
    Survey.objects.bulk_create(rows, batch_size=500)
    answered = 0
    for survey in Survey.objects.order_by("id"):
        months_ago = (now - survey.sent_at).days // 30
        # The newest surveys are still waiting; older ones got about two answers in three.
        if survey.sent_at > now - dt.timedelta(days=3) or rng.random() > 0.68:
            continue
        score = _score(rng, months_ago)
        answers = {str(courteous.pk): str(min(5, score + rng.choice((0, 0, 1)))),
                   str(first_time.pk): "yes" if score >= 4 or rng.random() < 0.3 else "no"}
        services.answer(survey, score=score, comment=say(rng.choice(COMMENTS[score])), answers=answers,
                        actor=survey.respondent, now=survey.sent_at + dt.timedelta(hours=rng.randint(1, 60)))
        answered += 1
    _campaign(ctx, now)
    ctx.log(f"  surveys: {Survey.objects.count()} sent, {answered} answered")


def _campaign(ctx, now):
    from accounts.models import User

    actor = User.objects.filter(groups__name="manager", is_active=True).order_by("pk").first()
    if actor is None:
        return
    today = timezone.localdate()
    campaign = services.create_campaign(actor=actor, name=say("Periodic survey, last quarter"),
                                        period_start=today - dt.timedelta(days=90), period_end=today,
                                        sample_size=40, seed="2026")
    for index, survey in enumerate(campaign.surveys.order_by("id")):
        if index % 3 == 2:
            continue
        score = _score(ctx.rng, 0)
        services.answer(survey, score=score, comment=say(ctx.rng.choice(COMMENTS[score])), actor=survey.respondent,
                        channel="email")
