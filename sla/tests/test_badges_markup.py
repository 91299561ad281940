"""`{% sla_badges %}` writes what sla/partials/_badges.html renders, character for character
(issue 12, seventh round: the record page's badges are written in Python; the lists keep the template)."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone, translation

from sla.models import SLADefinition, SLAClock


def clocks():
    now = timezone.now()
    definition = SLADefinition(name="Incident <SLA> & “P1”")
    made = []

    def clock(pk, kind, state, definition=definition, **fields):
        made.append(SLAClock(pk=pk, kind=kind, state=state, definition=definition, **fields))

    clock(1, "response", "running", due_at=now + timedelta(days=3, minutes=30))  # ok, counting down
    clock(2, "resolution", "running", due_at=now + timedelta(hours=5, minutes=30), warnings_sent=[50])  # warning
    clock(3, "resolution", "running")  # no due date: its state
    clock(4, "response", "met", due_at=now - timedelta(days=1), stopped_at=now)
    clock(5, "resolution", "cancelled", due_at=now + timedelta(days=1))
    clock(6, "response", "paused", due_at=now + timedelta(days=1), paused_at=now)
    clock(7, "resolution", "running", due_at=now + timedelta(days=1), paused_at=now)  # paused by its pause
    clock(8, "resolution", "breached", due_at=now - timedelta(hours=2), breached_at=now - timedelta(hours=2))
    clock(9, "response", "running", due_at=now - timedelta(minutes=10))  # due passed, not yet swept
    clock(10, "resolution", "breached")  # breached without a date
    clock(11, "response", "running", due_at=now.replace(month=1, day=2, hour=23, minute=5) + timedelta(days=400))
    return made


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("shown", ["all", "each", "none", "missing"])
def test_sla_badges_equal_the_template(language, shown):
    made = clocks()
    cases = {"all": [made], "each": [[c] for c in made], "none": [[]], "missing": [None]}[shown]
    old = get_template("sla/partials/_badges.html")
    new = Template("{% load sla_tags %}{% sla_badges clocks %}")
    with translation.override(language):
        for case in cases:
            context = {} if case is None else {"clocks": case}
            assert new.render(Context(context)) == old.render(context)


@pytest.mark.parametrize(("language", "words"), [("en", "10\xa0minutes overdue"), ("ko", "10분 초과")])
def test_a_due_instant_passed_before_the_sweep_reads_as_overdue_not_below_zero(language, words):
    passed = next(clock for clock in clocks() if clock.pk == 9)
    with translation.override(language):
        html = Template("{% load sla_tags %}{% sla_badges clocks %}").render(Context({"clocks": [passed]}))
    assert f">{words}</span>" in html
    assert "badge-sla-breached" in html
