"""Read-side questions about satisfaction, asked by dashboards and service reports.

The signatures are a contract between apps: keep them (add keyword arguments freely).
"""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, Value, When

from surveys import rules


def _scope(queryset, organisation, service):
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset


def satisfaction(*, start, end, organisation=None, service=None) -> dict:
    """Survey responses received in [start, end) for tickets of that organisation / service.

    Returns {"responses": int, "invited": int, "response_rate": float | None (0..100),
    "csat_percent": float | None (share of scores 4-5, 0..100), "score_100": float | None
    (mean of (score-1)*25), "low_scores": int (1-2), "by_score": {1: n, .., 5: n}}.
    None where there is nothing to divide by.

    `invited` counts the surveys sent in [start, end); the rate is the share of those answered
    (whenever), so that a survey sent on the 31st and answered on the 2nd counts for its month.
    Two queries, whatever the volume.
    """
    from surveys.models import Survey

    answered = _scope(Survey.objects.filter(answered_at__gte=start, answered_at__lt=end), organisation, service)
    counts = dict(answered.order_by().values_list("score").annotate(n=Count("id")))
    by_score = {score: counts.get(score, 0) for score in rules.SCORES}
    sent = _scope(Survey.objects.filter(sent_at__gte=start, sent_at__lt=end), organisation, service)
    totals = sent.order_by().aggregate(invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
    responses = sum(by_score.values())
    return {
        "responses": responses,
        "invited": totals["invited"],
        "response_rate": rules.response_rate(totals["answered"], totals["invited"]),
        "csat_percent": rules.csat_percent(by_score),
        "score_100": rules.score_100(by_score),
        "low_scores": by_score[1] + by_score[2],
        "by_score": by_score,
    }


def _figures(by_score, invited, answered):
    responses = sum(by_score.values())
    return {
        "responses": responses,
        "invited": invited,
        "response_rate": rules.response_rate(answered, invited),
        "csat_percent": rules.csat_percent(by_score),
        "score_100": rules.score_100(by_score),
        "low_scores": by_score[1] + by_score[2],
        "by_score": by_score,
    }


def _bucket(field, periods):
    return Case(*[When(**{f"{field}__gte": start, f"{field}__lt": end}, then=Value(key))
                  for key, start, end in periods], default=None, output_field=CharField())


def satisfaction_by_period(periods, *, organisation=None, service=None) -> dict:
    """satisfaction() for several periods at once: {key: figures} for `periods` given as
    (key, start, end) with no overlaps (a report's twelve months). Two queries, whatever the
    number of periods."""
    from surveys.models import Survey

    periods = list(periods)
    if not periods:
        return {}
    first, last = min(p[1] for p in periods), max(p[2] for p in periods)
    answered = _scope(Survey.objects.filter(answered_at__gte=first, answered_at__lt=last), organisation, service)
    scores = {key: {score: 0 for score in rules.SCORES} for key, _start, _end in periods}
    for key, score, n in (answered.order_by().annotate(period=_bucket("answered_at", periods))
                          .exclude(period=None).values_list("period", "score").annotate(n=Count("id"))):
        if score in scores[key]:
            scores[key][score] = n
    sent = _scope(Survey.objects.filter(sent_at__gte=first, sent_at__lt=last), organisation, service)
    totals = {key: (invited, answered_n) for key, invited, answered_n in (
        sent.order_by().annotate(period=_bucket("sent_at", periods)).exclude(period=None).values("period")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
        .values_list("period", "invited", "answered"))}
    return {key: _figures(scores[key], *totals.get(key, (0, 0))) for key, _start, _end in periods}


def campaign_rates(campaigns):
    """{campaign id: (invited, answered)} for the campaigns given, in one query."""
    from surveys.models import Survey

    rows = (Survey.objects.filter(campaign__in=campaigns).order_by().values("campaign")
            .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))))
    return {row["campaign"]: (row["invited"], row["answered"]) for row in rows}


def satisfaction_of(surveys) -> dict:
    """The figures of a set of surveys (a periodic survey's): one query."""
    rows = dict(surveys.order_by().filter(answered_at__isnull=False).values_list("score").annotate(n=Count("id")))
    by_score = {score: rows.get(score, 0) for score in rules.SCORES}
    invited = surveys.order_by().count()
    responses = sum(by_score.values())
    return {"responses": responses, "invited": invited, "response_rate": rules.response_rate(responses, invited),
            "csat_percent": rules.csat_percent(by_score), "score_100": rules.score_100(by_score),
            "low_scores": by_score[1] + by_score[2], "by_score": by_score}
