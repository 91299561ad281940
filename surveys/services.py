"""Writing surveys: sending one after a resolution or in a periodic campaign, recording the answer
(once), and the follow-up a low score opens. Each use case runs in one transaction, audits, and
publishes its events (`survey.sent`, `survey.responded`, `survey.low_score`)."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, events
from core.choices import AuditAction, Channel
from core.exceptions import DomainError
from core.tickets import type_name
from surveys import rules
from surveys.models import Campaign, FollowUp, FollowUpState, QuestionKind, Survey, SurveyQuestion, SurveySetting


class AlreadyAnswered(DomainError):
    status_code = 409

    def __init__(self):
        super().__init__(_("This survey has already been answered. Thank you: your first answer is kept."),
                         field="score", code="already_answered")


class SurveyExpired(DomainError):
    status_code = 410

    def __init__(self):
        super().__init__(_("This survey has expired and can no longer be answered."), code="expired")


def link_days():
    return int(getattr(settings, "SURVEY_LINK_MAX_AGE_DAYS", 30))


# --- who is asked ---------------------------------------------------------------------------------

def ticket_facts(ticket):
    """(respondent, organisation id, service id) of a resolved incident or request."""
    kind = type_name(ticket)
    if kind == "incident":
        respondent = ticket.caller
        service_id = ticket.service_id
    elif kind == "request":
        respondent = ticket.requested_for
        first = ticket.items.order_by("id").values_list("catalog_item__service_id", flat=True).first()
        service_id = first
    else:
        return None, None, None
    return respondent, getattr(respondent, "organisation_id", None), service_id


def matching_setting(kind, service_id):
    """The active setting covering this ticket type and service; one naming the service wins over
    one covering every service."""
    candidates = (SurveySetting.objects.filter(active=True, ticket_types__contains=[kind])
                  .filter(Q(services=service_id) | Q(services__isnull=True)).distinct()
                  .prefetch_related("services"))
    best = None
    for setting in candidates:
        specific = any(s.pk == service_id for s in setting.services.all())
        if specific:
            return setting
        best = best or setting
    return best


def on_ticket_resolved(event):
    """In-transaction subscriber of incident.resolved / request.resolved: send a survey when a
    setting covers the ticket and the ticket falls in its sample."""
    ticket = event.record
    kind = type_name(ticket)
    respondent, organisation_id, service_id = ticket_facts(ticket)
    if respondent is None or not respondent.is_active:
        return None
    setting = matching_setting(kind, service_id)
    if setting is None or not rules.sampled(ticket.number, setting.sampling_percent):
        return None
    return send_survey(ticket, respondent=respondent, organisation_id=organisation_id, service_id=service_id,
                       channel=event.channel or Channel.SYSTEM, now=event.at)


@transaction.atomic
def send_survey(ticket, *, respondent, organisation_id=None, service_id=None, campaign=None,
                channel=Channel.SYSTEM, now=None):
    """Create the survey (once per ticket, once per ticket in a campaign) and publish `survey.sent`:
    the mail handler sends the signed link. Returns the survey, or None if it exists already."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(ticket)
    exists = Survey.objects.filter(content_type=content_type, object_id=ticket.pk, campaign=campaign)
    if exists.exists():
        return None
    survey = Survey(content_type=content_type, object_id=ticket.pk, ticket_number=ticket.number,
                    ticket_title=ticket.title[:200], respondent=respondent, organisation_id=organisation_id,
                    service_id=service_id, assignment_group_id=ticket.assignment_group_id, campaign=campaign,
                    sent_at=now, expires_at=now + dt.timedelta(days=link_days()))
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        return None  # sent meanwhile by a concurrent resolution
    events.publish("survey.sent", survey, channel=channel, at=now,
                   data={"ticket": ticket.number, "respondent": respondent.pk})
    return survey


# --- the answer -----------------------------------------------------------------------------------

def clean_answers(raw: dict, questions) -> dict:
    """The optional questions' answers, by question id; blanks dropped, bad values refused."""
    answers = {}
    for question in questions:
        value = raw.get(str(question.pk), raw.get(question.pk))
        if value in (None, ""):
            continue
        name = f"q{question.pk}"
        if question.kind == QuestionKind.SCALE:
            answers[str(question.pk)] = rules.parse_score(value, field=name)
        elif question.kind == QuestionKind.YES_NO:
            if str(value).lower() not in ("yes", "no"):
                raise DomainError(_("Answer yes or no."), field=name)
            answers[str(question.pk)] = str(value).lower()
        else:
            text = str(value).strip()
            if len(text) > 2000:
                raise DomainError(_("Keep the answer under 2000 characters."), field=name)
            answers[str(question.pk)] = text
    return answers


@transaction.atomic
def answer(survey, *, score, comment="", answers=None, actor=None, channel=Channel.PORTAL, now=None):
    """Record the answer. Refused (nothing written) when the score is not 1..5, the survey was
    answered already (the first answer is kept) or has expired."""
    now = now or timezone.now()
    score = rules.parse_score(score)
    comment = (comment or "").strip()
    if len(comment) > 4000:
        raise DomainError(_("Keep the comment under 4000 characters."), field="comment")
    cleaned = clean_answers(answers or {}, SurveyQuestion.objects.filter(active=True))
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.answered_at is not None:
        raise AlreadyAnswered()
    if locked.expires_at <= now:
        raise SurveyExpired()
    locked.score, locked.comment, locked.answers = score, comment, cleaned
    locked.answered_at, locked.channel = now, str(channel)
    locked.save(update_fields=["score", "comment", "answers", "answered_at", "channel"])
    actor = actor if getattr(actor, "pk", None) else None
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="score", new=score, at=now)
    events.publish("survey.responded", locked, actor=actor, channel=channel, at=now,
                   data={"score": score, "ticket": locked.ticket_number})
    if rules.is_low(score):
        open_follow_up(locked, now=now)
        events.publish("survey.low_score", locked, actor=actor, channel=channel, at=now, data={
            "score": score, "comment": comment, "ticket": locked.ticket_number,
            "ticket_content_type": locked.content_type_id, "ticket_id": locked.object_id,
            "service": locked.service_id, "organisation": locked.organisation_id,
            "assignment_group": locked.assignment_group_id,
        })
    return locked


def open_follow_up(survey, *, now=None):
    team = survey.assignment_group
    owner = team.manager if team is not None else None
    follow_up, _created = FollowUp.objects.get_or_create(
        survey=survey, defaults={"team": team, "owner": owner, "created_at": now or timezone.now()})
    return follow_up


@transaction.atomic
def close_follow_up(follow_up, *, actor, note, channel=Channel.WEB, now=None):
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Write what was done before closing the follow-up."), field="note", code="required")
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.state == FollowUpState.DONE:
        raise DomainError(_("This follow-up is already done."), field="note")
    locked.state, locked.note, locked.closed_at = FollowUpState.DONE, note, now or timezone.now()
    locked.save(update_fields=["state", "note", "closed_at"])
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="state",
                 old=FollowUpState.OPEN, new=FollowUpState.DONE)
    return locked


# --- periodic surveys -----------------------------------------------------------------------------

def campaign_population(*, start, end, organisation=None, service=None):
    """(organisation id, service id, (ticket, respondent)) of the people whose tickets were resolved
    in [start, end): each person once, with their latest ticket."""
    from fulfilment.models import Request
    from incidents.models import Incident

    latest = {}
    incidents = (Incident.objects.filter(resolved_at__gte=start, resolved_at__lt=end, caller__is_active=True)
                 .select_related("caller").order_by("resolved_at", "id"))
    if organisation is not None:
        incidents = incidents.filter(caller__organisation=organisation)
    if service is not None:
        incidents = incidents.filter(service=service)
    for incident in incidents:
        latest[incident.caller_id] = (incident.caller.organisation_id, incident.service_id,
                                      (incident, incident.caller))
    requests = (Request.objects.filter(fulfilled_at__gte=start, fulfilled_at__lt=end, requested_for__is_active=True)
                .select_related("requested_for").order_by("fulfilled_at", "id"))
    if organisation is not None:
        requests = requests.filter(requested_for__organisation=organisation)
    request_services = {}
    for request in requests:
        request_services.setdefault(request.pk, None)
    if request_services:
        from fulfilment.models import RequestItem

        for request_id, service_id in (RequestItem.objects.filter(request_id__in=list(request_services))
                                       .order_by("-id").values_list("request_id", "catalog_item__service_id")):
            request_services[request_id] = service_id
    for request in requests:
        service_id = request_services.get(request.pk)
        if service is not None and service_id != service.pk:
            continue
        latest[request.requested_for_id] = (request.requested_for.organisation_id, service_id,
                                            (request, request.requested_for))
    return list(latest.values())


@transaction.atomic
def create_campaign(*, actor, name, period_start, period_end, sample_size, seed, organisation=None, service=None,
                    channel=Channel.WEB, now=None):
    """Draw the stratified sample and send each chosen person their survey."""
    if period_end <= period_start:
        raise DomainError(_("The period must end after it starts."), field="period_end")
    if sample_size < 1:
        raise DomainError(_("The sample needs at least one person."), field="sample_size")
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period_start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period_end, dt.time.min, tzinfo=tz)
    population = campaign_population(start=start, end=end, organisation=organisation, service=service)
    campaign = Campaign.objects.create(name=name, organisation=organisation, service=service,
                                       period_start=period_start, period_end=period_end, sample_size=sample_size,
                                       seed=str(seed), population=len(population), created_by=actor,
                                       created_at=now or timezone.now())
    chosen = rules.stratified_sample(population, sample_size, seed=seed)
    for ticket, respondent in chosen:
        send_survey(ticket, respondent=respondent, organisation_id=respondent.organisation_id,
                    service_id=_service_of(population, ticket), campaign=campaign, channel=channel, now=now)
    audit.record(campaign, actor=actor, channel=channel, action=AuditAction.CREATED, field="sample_size",
                 new=len(chosen))
    return campaign


def _service_of(population, ticket):
    for _organisation, service_id, (candidate, _person) in population:
        if candidate is ticket:
            return service_id
    return None
