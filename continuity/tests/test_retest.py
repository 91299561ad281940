"""A major change to a service with a DRP demands a re-test; a passing test clears it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes import services as change_services
from changes.choices import ChangeState as S, Outcome, Risk
from changes.tests.factories import make_change, to_authorize
from continuity import selectors, services
from continuity.models import ContinuityPlan
from core import outbox
from core.choices import Channel

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def implement(change, requester, manager):
    change = to_authorize(change, requester, risk=Risk.HIGH)
    _approval, change = change_services.decide_approval(change, actor=manager, channel=WEB, decision="approve")
    change = change_services.transition_change(change, actor=requester, channel=WEB, target=S.IMPLEMENT)
    return change_services.transition_change(change, actor=requester, channel=WEB, target=S.REVIEW,
                                             outcome=Outcome.SUCCESSFUL)


def test_a_high_risk_change_on_a_ci_the_service_needs_demands_a_retest(requester, manager, payroll, drp, agent):
    # given a DRP for Payroll, and a high-risk change to the database Payroll needs
    change = implement(make_change(requester, cis=[payroll["db"]], title="Upgrade payroll-db"), requester, manager)
    # when the change is implemented and its events delivered
    outbox.deliver_due()
    # then the plan demands a re-test, naming the change
    plan = selectors.plans().get(pk=drp.pk)
    assert plan.retest_required and plan.retest_change_id == change.pk
    # listed as overdue until a passing test, though the interval has not run out
    assert plan.overdue and not plan.test_overdue
    assert change.number in plan.retest_reason
    # closing the same change does not demand it twice
    change_services.transition_change(change, actor=requester, channel=WEB, target=S.CLOSED)
    outbox.deliver_due()
    # a failed test leaves it; a passed one clears it
    services.record_test(drp, actor=agent, channel=WEB, date=timezone.localdate(), kind="simulation", result="failed")
    assert ContinuityPlan.objects.get(pk=drp.pk).retest_required
    services.record_test(drp, actor=agent, channel=WEB, date=timezone.localdate(), kind="full", result="passed",
                         rto_achieved_minutes=200)
    plan = selectors.plans().get(pk=drp.pk)
    assert (plan.retest_required, plan.retest_change_id, plan.overdue) == (False, None, False)


def test_a_low_risk_change_demands_nothing(requester, manager, payroll, drp):
    change = to_authorize(make_change(requester, cis=[payroll["db"]]), requester, risk=Risk.LOW)
    _approval, change = change_services.decide_approval(change, actor=manager, channel=WEB, decision="approve")
    change = change_services.transition_change(change, actor=requester, channel=WEB, target=S.IMPLEMENT)
    change_services.transition_change(change, actor=requester, channel=WEB, target=S.REVIEW, outcome=Outcome.SUCCESSFUL)
    outbox.deliver_due()
    assert not ContinuityPlan.objects.get(pk=drp.pk).retest_required


def test_overdue_plans_are_flagged(drp, agent):
    services.record_test(drp, actor=agent, channel=WEB, date=timezone.localdate() - timedelta(days=181),
                         kind="tabletop", result="passed")
    assert selectors.plans().get(pk=drp.pk).overdue
    services.record_test(drp, actor=agent, channel=WEB, date=timezone.localdate(), kind="tabletop", result="passed")
    assert not selectors.plans().get(pk=drp.pk).overdue
