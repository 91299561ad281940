"""Demo knowledge base: about 66 curated articles in Korean and English (every topic in both,
linked as translations) across the CMDB demo's services, in every state, some citing the problems
demo's known errors (whose own articles the known-error subscriber has already published).

`seed_bulk(count)` builds `count` published articles set-based (half Korean) for the benchmark;
`seed_demo --articles N` (or --size large: 100,000) runs it.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Q

from cmdb.models import ConfigurationItem
from core import demo, search
from core.choices import Channel
from core.models import NumberSequence
from knowledge import rendering, services
from knowledge.choices import ArticleState
from knowledge.demo_content import CATEGORIES, TOPICS
from knowledge.models import Article, KnowledgeCategory

SYSTEM = Channel.SYSTEM
# The benchmark's generated articles carry this tag (so a second seed adds only what is missing).
BENCH_TAG = "bench"


def _categories():
    found = {}
    for order, (key, name, name_ko) in enumerate(CATEGORIES):
        found[key], _created = KnowledgeCategory.objects.get_or_create(name=name, defaults={"name_ko": name_ko,
                                                                                           "order": order})
    return found


def _service(name, services_pool):
    for ci in services_pool:
        if ci.name in (name, demo.say(name)):
            return ci
    return ConfigurationItem.objects.filter(Q(name=name) | Q(name=demo.say(name))).first()


def _state_for(index):
    """Most articles published; every state represented."""
    return {3: "draft", 5: "review", 8: "retired", 10: "edited"}.get(index % 11, "published")


def _bring_to(article, state, author, reviewer):
    if state == "draft":
        return article
    article = services.submit_for_review(article, actor=author, channel=SYSTEM)
    if state == "review":
        return article
    article = services.approve(article, actor=reviewer, channel=SYSTEM)
    article = services.publish(article, actor=author, channel=SYSTEM)
    if state == "retired":
        return services.retire(article, actor=author, channel=SYSTEM)
    if state == "edited":
        article, _diff = services.update_article(article, actor=author, channel=SYSTEM, changes={
            "body": article.body + "\n\n> " + ("검토 중인 보완 내용입니다." if article.language == "ko"
                                             else "An update under review.")})
    return article


@transaction.atomic
def _seed_topic(index, topic, categories, services_pool, known_errors, author, reviewer):
    key, service_name, tags, korean, english = topic
    if Article.objects.filter(title=korean[0]).exists():
        return 0
    service = _service(service_name, services_pool)
    common = {"category": categories[key], "tags": tags, "services": [service] if service else [],
              "known_errors": [known_errors[index]] if index < 4 and index < len(known_errors) else []}
    state = _state_for(index)
    made = 0
    original = None
    for language, (title, summary, body) in (("ko", korean), ("en", english)):
        article = services.create_article(
            actor=author, channel=SYSTEM, title=title, summary=summary, body=body, language=language,
            audience="internal" if index % 9 == 6 else "public", translation_of=original,
            reviewer_required=reviewer is not None, **common,
        )
        if reviewer is None:
            article = services.publish(article, actor=author, channel=SYSTEM) if state != "draft" else article
        else:
            article = _bring_to(article, state, author, reviewer)
        original = original or article
        made += 1
    return made


def seed(ctx):
    agents = list(ctx.shared.get("agents") or [])
    author = ctx.shared.get("admin") or (agents[0] if agents else None)
    if author is None:
        ctx.log("  knowledge: no demo accounts, skipped")
        return
    reviewer = next((a for a in agents if a.pk != author.pk), None)
    categories = _categories()
    services_pool = list(ctx.shared.get("services") or [])
    known_errors = list(ctx.shared.get("known_errors") or [])
    made = sum(_seed_topic(i, topic, categories, services_pool, known_errors, author, reviewer)
               for i, topic in enumerate(TOPICS))
    # Something for the report: views and votes on the published ones.
    for i, article in enumerate(Article.objects.filter(state=ArticleState.PUBLISHED, view_count=0).order_by("pk")):
        Article.objects.filter(pk=article.pk).update(
            view_count=(i * 37) % 500 + 5, helpful_count=(i * 7) % 40, not_helpful_count=(i * 3) % 9)
    stale = Article.objects.filter(state=ArticleState.PUBLISHED).order_by("pk")[:3]
    Article.objects.filter(pk__in=[a.pk for a in stale]).update(review_at=ctx.now - datetime.timedelta(days=3))
    bulk = ctx.counts.get("articles") or 0
    bulk -= Article.objects.filter(tags__contains=[BENCH_TAG]).count()
    if bulk > 0:
        seed_bulk(bulk, categories=list(categories.values()), log=ctx.log)
    ctx.log(f"  knowledge: {made} curated articles added, {Article.objects.count()} in total")


# --- the benchmark size: published articles built set-based -------------------------------------
KO_SYSTEMS = ["그룹웨어", "메일", "ERP", "인사 시스템", "전자결재", "프린터", "노트북", "모니터", "무선랜", "VPN",
              "메신저", "문서관리", "급여 시스템", "고객 포털", "CRM", "백신", "OTP", "공유 폴더", "화상회의", "회계"]
KO_ISSUES = ["로그인 오류 해결 방법", "설치 안내", "느려질 때 점검 사항", "설정 변경 방법", "권한 신청 절차",
             "오류 코드 정리", "자주 묻는 질문", "업데이트 후 문제", "사용 가이드", "초기화 방법"]
EN_SYSTEMS = ["Groupware", "Mail", "ERP", "HR system", "Approvals", "Printer", "Laptop", "Monitor", "Wi-Fi", "VPN",
              "Messenger", "Document management", "Payroll", "Customer portal", "CRM", "Antivirus", "OTP",
              "Shared folder", "Video meetings", "Accounting"]
EN_ISSUES = ["sign-in errors", "installation guide", "slowness checklist", "changing settings", "requesting access",
             "error codes", "frequently asked questions", "problems after an update", "user guide", "resetting"]
BODY_KO = ("## 확인할 사항\n\n1. 프로그램을 다시 시작합니다.\n2. 최신 버전인지 확인합니다.\n3. 그래도 안 되면 서비스 데스크에 "
           "오류 화면을 첨부해 문의하세요.\n\n문서 번호 {n}")
BODY_EN = ("## What to check\n\n1. Restart the program.\n2. Make sure it is the latest version.\n3. If it still fails, "
           "contact the service desk with a screenshot.\n\nDocument {n}")


def seed_bulk(count, *, categories=None, log=print, batch=20_000):
    """`count` published public articles, half Korean, in INSERT … SELECT batches; then their search
    documents, one UPDATE per batch. Numbers come from the KB sequence like any article's."""
    categories = categories or list(KnowledgeCategory.objects.all())
    category_ids = [c.pk for c in categories] or [None]
    html_ko = rendering.render_markdown(BODY_KO.replace("{n}", "#"))
    html_en = rendering.render_markdown(BODY_EN.replace("{n}", "#"))
    table = Article._meta.db_table
    done = 0
    while done < count:
        size = min(batch, count - done)
        with transaction.atomic():
            first = NumberSequence.allocate("KB", size)
            with connection.cursor() as cursor:
                cursor.execute(f"""
                    INSERT INTO {table} (number, title, summary, body, body_html, tags, tags_text, language,
                        audience, state, published_at, review_at, needs_review, reviewer_required, retired_at,
                        view_count, helpful_count, not_helpful_count, deflection_count, use_count, created_at,
                        updated_at, version, category_id)
                    SELECT 'KB' || lpad((%(first)s + g)::text, 7, '0'),
                        CASE WHEN g %% 2 = 0
                             THEN (%(ko_sys)s::text[])[1 + (g / 2) %% %(n_sys)s] || ' '
                                  || (%(ko_iss)s::text[])[1 + (g / 40) %% %(n_iss)s] || ' (' || g || ')'
                             ELSE (%(en_sys)s::text[])[1 + (g / 2) %% %(n_sys)s] || ': '
                                  || (%(en_iss)s::text[])[1 + (g / 40) %% %(n_iss)s] || ' (' || g || ')' END,
                        '', CASE WHEN g %% 2 = 0 THEN replace(%(body_ko)s, '{{n}}', g::text)
                                 ELSE replace(%(body_en)s, '{{n}}', g::text) END,
                        CASE WHEN g %% 2 = 0 THEN %(html_ko)s ELSE %(html_en)s END,
                        '{{bench}}', 'bench', CASE WHEN g %% 2 = 0 THEN 'ko' ELSE 'en' END,
                        'public', 'published', %(now)s - (g %% 900) * interval '1 day',
                        %(now)s + (30 + g %% 300) * interval '1 day', false, true, NULL,
                        (g * 7919) %% 1000, (g * 31) %% 50, (g * 17) %% 7, 0, 0, %(now)s, %(now)s, 1,
                        (%(cats)s::bigint[])[1 + g %% %(n_cats)s]
                    FROM generate_series(%(start)s, %(stop)s) AS g
                """, {"first": first, "start": 0, "stop": size - 1, "ko_sys": KO_SYSTEMS, "ko_iss": KO_ISSUES,
                      "en_sys": EN_SYSTEMS, "en_iss": EN_ISSUES, "n_sys": len(KO_SYSTEMS), "n_iss": len(KO_ISSUES),
                      "body_ko": BODY_KO, "body_en": BODY_EN, "html_ko": html_ko, "html_en": html_en,
                      "now": datetime.datetime.now(datetime.timezone.utc), "cats": category_ids,
                      "n_cats": len(category_ids)})
                cursor.execute(f"SELECT min(id), max(id) FROM {table} WHERE number >= %s AND number <= %s",
                               [NumberSequence.format("KB", first), NumberSequence.format("KB", first + size - 1)])
                low, high = cursor.fetchone()
            search.refresh(Article, id_range=(low, high))
        done += size
        log(f"  knowledge: {done} of {count} bulk articles")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return done
