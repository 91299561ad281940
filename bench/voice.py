"""Surveys and VOC latency (issue 16), in-process with Django's test Client.

Grows the seeded demo to --surveys survey rows (answered two in three, spread over 12 months, in
bench campaigns so the one-survey-per-ticket rule holds) and --voc VOC records, set-based, once;
then times the read side dashboards and reports call (`surveys.selectors.satisfaction`,
`voc.selectors.voc_summary`, for one month and for 12 months one by one) and the desk lists
(`/surveys/responses/?score=&service=`, `/voc/?kind=&state=`) and API lists, with their query counts.

Usage (after `manage.py seed_demo`):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_h16voice .venv/bin/python bench/voice.py \\
        [--surveys 200000] [--voc 20000] [--runs 40]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from core.models import NumberSequence  # noqa: E402
from incidents.models import Incident  # noqa: E402
from surveys import selectors as survey_selectors  # noqa: E402
from surveys.models import Campaign, Survey  # noqa: E402
from voc import selectors as voc_selectors  # noqa: E402
from voc.models import Voc  # noqa: E402

BENCH = "bench"


def grow_surveys(target, rng):
    missing = target - Survey.objects.count()
    if missing <= 0:
        return 0
    incidents = list(Incident.objects.filter(caller__isnull=False)
                     .values_list("pk", "number", "caller_id", "service_id", "assignment_group_id")[:400])
    people = dict(User.objects.values_list("pk", "organisation_id"))
    content_type = ContentType.objects.get_for_model(Incident)
    now = timezone.now()
    made = 0
    while made < missing:
        campaign = Campaign.objects.create(name=BENCH, period_start=now.date(), period_end=now.date(),
                                           sample_size=len(incidents), seed=BENCH)
        rows = []
        for pk, number, caller, service, group in incidents[: missing - made]:
            sent = now - dt.timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440))
            answered = rng.random() < 0.66
            rows.append(Survey(content_type=content_type, object_id=pk, ticket_number=number, respondent_id=caller,
                               organisation_id=people.get(caller), service_id=service, assignment_group_id=group,
                               campaign=campaign, sent_at=sent, expires_at=sent + dt.timedelta(days=30),
                               score=rng.choice((1, 2, 3, 4, 4, 5, 5, 5)) if answered else None,
                               answered_at=sent + dt.timedelta(hours=rng.randint(1, 48)) if answered else None))
        Survey.objects.bulk_create(rows, batch_size=2000)
        made += len(rows)
    return made


def grow_voc(target, rng):
    missing = target - Voc.objects.count()
    if missing <= 0:
        return 0
    people = list(User.objects.filter(groups__name="end_user").values_list("pk", "organisation_id")[:200])
    services = list(Voc.objects.exclude(service=None).values_list("service_id", flat=True).distinct()) or [None]
    first = NumberSequence.allocate("VOC", missing)
    now = timezone.now()
    kinds = ("complaint", "complaint", "suggestion", "compliment", "inquiry")
    rows = []
    for i in range(missing):
        person, organisation = people[i % len(people)]
        created = now - dt.timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440))
        kind = kinds[i % len(kinds)]
        done = rng.random() < 0.85
        responded = created + dt.timedelta(days=rng.randint(0, 9)) if done else None
        rows.append(Voc(number=NumberSequence.format("VOC", first + i), title=f"Bench VOC {i}", kind=kind,
                        state="closed" if done else "new", channel="portal", reported_by_id=person,
                        organisation_id=organisation, service_id=services[i % len(services)], created_at=created,
                        updated_at=created, due_at=created + dt.timedelta(days=7 if kind == "complaint" else 3),
                        response="Done." if done else "", responded_at=responded, closed_at=responded))
    with transaction.atomic():
        Voc.objects.bulk_create(rows, batch_size=2000)
    return missing


def timed(label, func, runs):
    func()  # warm
    times, counts = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
        counts.add(len(queries.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"| {label} | {statistics.median(times):.1f} ms | {p95:.1f} ms | {', '.join(map(str, sorted(counts)))} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--surveys", type=int, default=200_000)
    parser.add_argument("--voc", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(16)
    started = time.perf_counter()
    added = grow_surveys(args.surveys, rng), grow_voc(args.voc, rng)
    if any(added):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_survey; ANALYZE voc_voc")
    print(f"surveys {Survey.objects.count()}, VOC {Voc.objects.count()} "
          f"(added {added[0]} and {added[1]} in {time.perf_counter() - started:.1f} s)\n")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    now = timezone.now()
    month = now - dt.timedelta(days=30)
    service = Survey.objects.exclude(service=None).values_list("service_id", flat=True).first()
    agent = User.objects.filter(groups__name="manager", is_active=True).first()
    client = Client()
    client.force_login(agent)

    def twelve(func):
        def run():
            for m in range(12):
                end = now - dt.timedelta(days=30 * m)
                func(start=end - dt.timedelta(days=30), end=end)
        return run

    def page(url):
        def run():
            assert client.get(url).status_code == 200
        return run

    print("| scenario | p50 | p95 | queries |\n| --- | --- | --- | --- |")
    timed("`satisfaction()` one month", lambda: survey_selectors.satisfaction(start=month, end=now), args.runs)
    timed("`satisfaction()` one month, one service",
          lambda: survey_selectors.satisfaction(start=month, end=now, service=service), args.runs)
    timed("`satisfaction()` 12 months one by one (trend)", twelve(survey_selectors.satisfaction), args.runs // 4)
    timed("`voc_summary()` one month", lambda: voc_selectors.voc_summary(start=month, end=now), args.runs)
    timed("`voc_summary()` 12 months one by one (trend)", twelve(voc_selectors.voc_summary), args.runs // 4)
    timed("`/surveys/responses/`", page("/surveys/responses/"), args.runs)
    timed(f"`/surveys/responses/?score=1&score=2&service={service}`",
          page(f"/surveys/responses/?score=1&score=2&service={service}"), args.runs)
    timed("`/voc/?kind=complaint&state=new`", page("/voc/?kind=complaint&state=new"), args.runs)
    timed("`/surveys/` overview", page("/surveys/"), args.runs)
    timed("`GET /api/v1/surveys/responses/?score=1`", page("/api/v1/surveys/responses/?score=1"), args.runs)
    timed("`GET /api/v1/voc/?kind=complaint`", page("/api/v1/voc/?kind=complaint"), args.runs)


if __name__ == "__main__":
    main()
