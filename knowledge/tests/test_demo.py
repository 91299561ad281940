"""The demo knowledge base: both languages, every state, the portal example first; the bulk size."""

import io
import random

import pytest

from accounts import demo as accounts_demo
from core.management.commands.seed_demo import DemoContext
from knowledge import demo, selectors
from knowledge.choices import ArticleState
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_demo_seed_every_state_both_languages_idempotent(end_user):
    ctx = DemoContext(size="small", counts={"articles": 300}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    curated = Article.objects.exclude(tags__contains=["bench"]).count()
    demo.seed(ctx)
    assert curated >= 60 and Article.objects.exclude(tags__contains=["bench"]).count() == curated
    assert set(Article.objects.values_list("state", flat=True)) == set(ArticleState.values)
    assert set(Article.objects.values_list("language", flat=True)) == {"ko", "en"}
    assert Article.objects.filter(translation_of__isnull=False).count() >= 30
    assert Article.objects.filter(tags__contains=["bench"], state="published").count() == 300
    found = selectors.suggest_for_text(end_user, "VPN이 자꾸 끊겨요")
    assert found[0].title == "VPN 연결이 자꾸 끊길 때"
    bulk = Article.objects.filter(tags__contains=["bench"]).first()
    assert bulk.body_html and bulk.number.startswith("KB")
    assert selectors.search_articles(end_user, bulk.title.split(" (")[0]).articles
