"""The demo data: every state, published known errors with workarounds, idempotent."""

import io
import random

import pytest

from accounts import demo as accounts_demo
from core.management.commands.seed_demo import DemoContext
from problems import demo
from problems.choices import ProblemState
from problems.models import Problem
from problems.tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_demo_seed_every_state_and_idempotent(end_user):
    # given
    ctx = DemoContext(size="small", counts={"problems": 20}, rng=random.Random(1), stdout=io.StringIO())
    accounts_demo.seed(ctx)
    incidents = [make_incident(end_user, title=title) for title in ("VPN drops", "Cannot print", "Slow ERP")]
    ctx.shared["incidents"] = [i.pk for i in incidents]
    # when
    demo.seed(ctx)
    demo.seed(ctx)
    # then
    assert Problem.objects.count() == 20
    assert set(Problem.objects.values_list("state", flat=True)) == set(ProblemState.values)
    known_errors = Problem.objects.known_errors()
    assert known_errors.count() >= 4
    assert all(p.workaround or p.root_cause for p in known_errors)
    vpn = Problem.objects.get(title="VPN sessions drop after 10 minutes")
    assert list(vpn.incidents.all()) == [incidents[0]]
    assert ctx.shared["problems"]
