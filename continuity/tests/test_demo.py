"""The demo: a DRP and a BCP with tests and an invocation, Korean when seeded in Korean,
idempotent; capacity's year of readings with one forecast and one raised level."""

import io
import random

import pytest
from django.utils import translation

from accounts import demo as accounts_demo
from capacity import demo as capacity_demo
from capacity.models import Metric
from cmdb.tests.factories import make_ci
from continuity import demo
from continuity.models import ContinuityPlan, ContinuityTest, Invocation
from core.management.commands.seed_demo import DemoContext

pytestmark = pytest.mark.django_db


def _ctx():
    ctx = DemoContext(size="small", counts={}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    return ctx


def test_continuity_demo_in_korean_and_idempotent():
    ctx = _ctx()
    make_ci("급여 서비스", "business_service", criticality=1)
    make_ci("민원 포털", "business_service", criticality=2)
    with translation.override("ko"):
        demo.seed(ctx)
        demo.seed(ctx)
    assert ContinuityPlan.objects.count() == 2
    assert ContinuityTest.objects.count() == 3 and Invocation.objects.count() == 1
    drp = ContinuityPlan.objects.get(document__kind="drp")
    assert drp.document.title == "재해복구계획: 급여 서비스"
    assert drp.steps[0] == "재해를 선언하고 복구팀을 소집한다."


def test_capacity_demo_builds_a_year_with_thresholds(ctx=None):
    ctx = _ctx()
    make_ci("db-01", "server")
    capacity_demo.seed(ctx)
    capacity_demo.seed(ctx)
    metrics = {m.key: m for m in Metric.objects.all()}
    assert set(metrics) == {"cpu_percent", "memory_percent", "disk_used_gb", "licences_used"}
    assert metrics["licences_used"].level == "warning"
    assert metrics["disk_used_gb"].samples.count() == 365
