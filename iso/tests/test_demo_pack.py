"""Done-when of issue 18: from the demo data a manager builds the 8.5.1 evidence pack twice with
the same seed and gets the same sampled record ids."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from iso import services
from iso.models import PackState

pytestmark = pytest.mark.django_db


def test_demo_changes_pack_twice_same_seed_same_sample():
    call_command("seed_demo", only=["accounts", "cmdb", "changes"], cis=8, relationships=8, changes=12,
                 stdout=io.StringIO())
    manager = User.objects.filter(groups__name=Role.MANAGER).order_by("id").first()
    today = timezone.localdate()
    built = []
    for _ in range(2):
        pack = services.request_pack(actor=manager, channel="web", clauses=["8.5.1"],
                                     period_start=today - dt.timedelta(days=400), period_end=today + dt.timedelta(days=1),
                                     sample_size=5, seed="demo-audit")
        built.append(services.build(pack.pk))
    assert [p.state for p in built] == [PackState.READY, PackState.READY]
    ids = built[0].sample["8.5.1"]["changes.Change"]
    assert len(ids) == 5 and ids == built[1].sample["8.5.1"]["changes.Change"]
