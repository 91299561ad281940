"""The demo register and portfolio: every kind of planning record, approved by someone other
than the author, one overdue, requirements traced; Korean too; idempotent."""

import io
import random

import pytest
from django.utils import translation

from accounts import demo as accounts_demo
from changes.tests.factories import make_change, service
from core.management.commands.seed_demo import DemoContext
from documents import demo
from documents.choices import DocumentKind
from documents.models import Document
from portfolio import demo as portfolio_demo
from portfolio.models import PortfolioService

pytestmark = pytest.mark.django_db


def _ctx():
    ctx = DemoContext(size="small", counts={}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    return ctx


def test_the_demo_register_and_portfolio_are_complete_and_idempotent(agent):
    ctx = _ctx()
    change = make_change(agent)
    ctx.shared["changes"] = [change.pk]
    ctx.shared["services"] = [service(f"Service {n}") for n in range(5)]
    demo.seed(ctx)
    demo.seed(ctx)
    portfolio_demo.seed(ctx)
    portfolio_demo.seed(ctx)
    assert Document.objects.count() == len(demo.REGISTER)
    kinds = set(Document.objects.values_list("kind", flat=True))
    assert {DocumentKind.POLICY, DocumentKind.PLAN, DocumentKind.PROCEDURE, DocumentKind.ARCHITECTURE,
            DocumentKind.ISP, DocumentKind.POC, DocumentKind.REQUIREMENT} <= kinds
    assert set(Document.objects.values_list("state", flat=True)) == {"draft", "review", "approved"}
    for document in Document.objects.filter(state="approved"):
        assert document.approved_by_id != document.versions.get(number=document.current_version).created_by_id
    assert sum(d.is_review_overdue for d in Document.objects.all()) == 1
    assert Document.objects.filter(kind="requirement", changes=change).exists()
    assert PortfolioService.objects.count() == 5
    assert set(PortfolioService.objects.values_list("lifecycle", flat=True)) == {"pipeline", "live", "retired"}
    assert PortfolioService.objects.get(lifecycle="retired").change == change


def test_the_demo_register_in_korean():
    ctx = _ctx()
    with translation.override("ko"):
        demo.seed(ctx)
    assert Document.objects.filter(title="서비스 관리 방침").exists()
