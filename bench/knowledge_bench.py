"""Knowledge base speed (issue 14): search and deflection suggestions p95 < 100 ms, the article
page p95 < 50 ms with a constant number of queries, on 100,000 published articles (half Korean).

Usage:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_bench_kb
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --only knowledge --articles 100000     # ~2 min
    .venv/bin/python bench/knowledge_bench.py [--runs 60]

Measures the selectors directly (what the portal's htmx fragment and the API call) and, where
the pages exist, the portal article page and the API through Django's test Client. Prints
p50/p95/max in ms and the SQL queries of one extra run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import upsert_user  # noqa: E402
from knowledge import selectors  # noqa: E402
from knowledge.models import Article  # noqa: E402

SEARCHES = ["VPN이 자꾸 끊겨요", "비밀번호 초기화", "프린터 드라이버 설치", "메일 발송", "outlook freezing",
            "printer", "ERP 로그인 오류", "그룹웨어", "password reset", "팩스 고장"]
DEFLECTION = ["VPN이 자꾸 끊겨요 재택근무 중인데 VPN 연결이 몇 분마다 끊깁니다",
              "비밀번호를 잊어버렸어요 로그인이 안 됩니다", "프린터 드라이버 설치가 안 돼요",
              "Outlook keeps freezing when I open attachments", "메일함 용량이 가득 찼다고 나와요",
              "ERP 전표 결재가 안 올라가요", "노트북 배터리가 너무 빨리 닳아요", "Cannot connect to the office Wi-Fi"]


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def timed(func, args_list, runs):
    timings = []
    for i in range(runs):
        args = args_list[i % len(args_list)]
        started = time.perf_counter()
        func(args)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        func(args_list[0])
    return {"p50": statistics.median(timings), "p95": percentile(timings, 95), "max": max(timings),
            "queries": len(queries)}


def report(name, result):
    print(f"{name:58s} p50 {result['p50']:7.1f}  p95 {result['p95']:7.1f}  max {result['max']:7.1f} ms"
          f"  queries {result['queries']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    runs = parser.parse_args().runs
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    total = Article.objects.count()
    published = Article.objects.published().count()
    korean = Article.objects.published().filter(language="ko").count()
    print(f"{total} articles, {published} published, {korean} in Korean")
    end_user = upsert_user("kb_bench_user", role=Role.END_USER, email="kb-bench@example.com",
                           password="bench-pass-1234")
    agent = User.objects.filter(groups__name=Role.AGENT, is_active=True).first() or upsert_user(
        "kb_bench_agent", role=Role.AGENT, email="kb-agent@example.com", password="bench-pass-1234")

    first = selectors.suggest_for_text(end_user, "VPN이 자꾸 끊겨요")
    print("portal example 'VPN이 자꾸 끊겨요' →", first[0].title if first else "(nothing)")

    report("search_articles (end user, 10 queries)", timed(lambda q: selectors.search_articles(end_user, q),
                                                           SEARCHES, runs))
    report("search_articles (agent, all states)", timed(lambda q: selectors.search_articles(agent, q),
                                                        SEARCHES, runs))
    report("suggest_for_text (deflection, title+description)",
           timed(lambda t: selectors.suggest_for_text(end_user, t), DEFLECTION, runs))
    sample = list(Article.objects.published().filter(audience="public").order_by("?")
                  .values_list("pk", flat=True)[:50])
    report("article_by_key (selector, one article)",
           timed(lambda pk: selectors.article_by_key(end_user, pk), sample, runs))

    client = Client()
    client.force_login(end_user)
    api = timed(lambda q: client.get("/api/v1/kb/articles/", {"search": q}), SEARCHES, runs)
    report("GET /api/v1/kb/articles/?search= (end user)", api)
    report("GET /api/v1/kb/articles/<id>/ (end user)",
           timed(lambda pk: client.get(f"/api/v1/kb/articles/{pk}/"), sample, runs))
    probe = client.get(f"/portal/kb/articles/{sample[0]}/")
    if probe.status_code == 200:
        page = timed(lambda pk: client.get(f"/portal/kb/articles/{pk}/"), sample, runs)
        report("GET /portal/kb/articles/<id>/ (portal page)", page)
        with CaptureQueriesContext(connection) as other:
            client.get(f"/portal/kb/articles/{sample[1]}/")
        print(f"  queries for two different articles: {page['queries']} and {len(other)}")
    else:
        print(f"portal article page: /portal/kb/articles/<id>/ answered {probe.status_code} (not built here)")


if __name__ == "__main__":
    main()
