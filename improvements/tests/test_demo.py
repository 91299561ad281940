"""The demo register: every state, every source type, spread over twelve months, Korean too,
idempotent."""

import io
import random

import pytest
from django.utils import translation

from accounts import demo as accounts_demo
from core.management.commands.seed_demo import DemoContext
from improvements import demo
from improvements.choices import ImprovementState, SourceType
from improvements.models import Improvement
from problems.tests.factories import make_incident, make_known_error

pytestmark = pytest.mark.django_db


def _ctx():
    ctx = DemoContext(size="small", counts={}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    return ctx


def test_the_demo_covers_every_state_and_source_over_twelve_months_and_is_idempotent(end_user, agent):
    # given: a P1 incident and a known error of the demo
    ctx = _ctx()
    urgent = make_incident(end_user, title="Payroll down", priority=1)
    make_known_error(agent)
    # when
    demo.seed(ctx)
    count = Improvement.objects.count()
    demo.seed(ctx)
    # then
    assert Improvement.objects.count() == count == len(demo.CURATED) + 2
    assert set(Improvement.objects.values_list("state", flat=True)) == set(ImprovementState.values)
    assert set(Improvement.objects.values_list("source_type", flat=True)) == set(SourceType.values)
    months = {(d.year, d.month) for d in Improvement.objects.values_list("created_at", flat=True)}
    assert len(months) >= 12
    assert Improvement.objects.filter(source_type="sla_breach", source_object_id=urgent.pk).exists()
    effective = Improvement.objects.filter(state="closed_effective")
    assert all(i.result_value is not None and i.verified_by_id and i.result_date for i in effective)


def test_the_demo_in_korean():
    ctx = _ctx()
    with translation.override("ko"):
        demo.seed(ctx)
    assert Improvement.objects.filter(title="VPN 인증서 갱신 자동화").exists()
    assert Improvement.objects.filter(baseline_unit="건/월").exists()
