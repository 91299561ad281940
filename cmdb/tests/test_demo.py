"""The demo estate: realistic layers, idempotent, leaves handles for later modules."""

import random

import pytest

from cmdb import demo, graph
from cmdb.models import ConfigurationItem, Relationship

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self, cis, relationships):
        self.counts = {"cis": cis, "relationships": relationships}
        self.rng = random.Random(1)
        self.shared = {}
        self.lines = []

    def log(self, message):
        self.lines.append(message)


def test_seed_builds_a_layered_estate_and_is_idempotent(admin_user):
    ctx = Ctx(60, 150)
    ctx.shared["admin"] = admin_user
    demo.seed(ctx)
    assert (ConfigurationItem.objects.count(), Relationship.objects.count()) == (60, 150)
    assert ctx.shared["services"] and all(s.ci_class.slug == "business_service" for s in ctx.shared["services"])
    assert ctx.shared["cis"]
    # a host's outage reaches some business service
    hosts = ConfigurationItem.objects.filter(ci_class__slug="server").values_list("pk", flat=True)
    reached = [pk for pk in hosts if graph.business_services_impacted([pk])]
    assert len(reached) > len(hosts) / 2
    demo.seed(Ctx(60, 150))
    assert (ConfigurationItem.objects.count(), Relationship.objects.count()) == (60, 150)


def test_bulk_path(admin_user, monkeypatch):
    monkeypatch.setattr(demo, "BULK_THRESHOLD", 100)
    demo.seed(Ctx(400, 1000))
    assert (ConfigurationItem.objects.count(), Relationship.objects.count()) == (400, 1000)
