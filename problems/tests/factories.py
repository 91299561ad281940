"""Test data builders for problem tests. Problems go through the service; neighbours are made directly."""

import itertools

from cmdb.models import CIClass, ConfigurationItem
from core.choices import Channel
from core.models import NumberSequence
from incidents.models import Incident
from problems import services

_seq = itertools.count(1)


def make_ci(name=None, *, slug=None):
    ci_class = CIClass.objects.filter(slug=slug).first() if slug else CIClass.objects.order_by("pk").first()
    if ci_class is None:
        ci_class = CIClass.objects.create(slug=f"test-class-{next(_seq)}", name=f"Test class {next(_seq)}")
    return ConfigurationItem.objects.create(name=name or f"ci-{next(_seq)}", ci_class=ci_class)


def make_incident(caller, *, title="Cannot print", description="", state="new", configuration_item=None,
                  service=None, **extra):
    number = NumberSequence.format("INC", NumberSequence.allocate("INC"))
    return Incident.objects.create(
        number=number, title=title, description=description, caller=caller, state=state,
        configuration_item=configuration_item, service=service, **extra,
    )


def make_problem(actor, *, title="Printers drop jobs", **fields):
    return services.create_problem(actor=actor, channel=Channel.WEB, title=title, **fields)


def make_known_error(actor, *, title="VPN drops after 10 minutes", workaround="Reconnect with split tunnel off.",
                     root_cause="", **fields):
    return services.create_problem(actor=actor, channel=Channel.WEB, title=title, workaround=workaround,
                                   root_cause=root_cause, state="known_error", known_error=True, **fields)
