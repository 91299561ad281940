"""Builders for change tests: CMDB fragments, policies and changes in any state."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Team
from changes import services
from changes.choices import ApprovalMode, ChangeState as S, ChangeType as T, Risk
from changes.models import ApprovalPolicy, ApprovalStage, Change, ChangeTemplate
from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem, Relationship
from core.choices import Channel

START = timezone.now().replace(microsecond=0) + timedelta(days=7)
PLANS = {"implementation_plan": "1. stop\n2. patch\n3. start", "backout_plan": "restore snapshot",
         "test_plan": "smoke test the login page"}


def ci_class(slug):
    return CIClass.objects.get_or_create(slug=slug, defaults={"name": slug.replace("_", " ").title()})[0]


def make_ci(name, slug="server", criticality=3):
    return ConfigurationItem.objects.create(name=name, ci_class=ci_class(slug), criticality=criticality)


def service(name, criticality=2):
    return make_ci(name, BUSINESS_SERVICE_SLUG, criticality)


def needs(source, target, type="depends_on"):
    """`source` needs `target`: an outage of target impacts source."""
    return Relationship.objects.create(source=source, target=target, type=type)


def make_change(actor, *, cis=(), type=T.NORMAL, start=START, hours=2, **fields):
    data = {"title": "Patch the web servers", **PLANS, "planned_start": start,
            "planned_end": start + timedelta(hours=hours) if start else None, "type": type, **fields}
    if type == T.EMERGENCY:
        data.setdefault("emergency_reason", "Active exploit of CVE-2026-0001")
    if type == T.STANDARD and "template" not in data:
        data["template"] = make_template()
    return services.create_change(actor=actor, channel=Channel.WEB, affected_cis=cis, **data)


def make_template(name="Restart web tier"):
    return ChangeTemplate.objects.get_or_create(name=name, defaults={**PLANS})[0]


def make_policy(change_type, stages, risk=""):
    """stages: [(group, mode, quorum)]"""
    policy = ApprovalPolicy.objects.create(name=f"{change_type} {risk or 'any'} {ApprovalPolicy.objects.count()}",
                                           change_type=change_type, risk=risk)
    for order, (group, mode, quorum) in enumerate(stages, start=1):
        ApprovalStage.objects.create(policy=policy, order=order, name=f"{group.name} ({mode})", group=group,
                                     mode=mode, quorum=quorum)
    return policy


def make_group(name, members):
    team = Team.objects.create(name=name)
    team.members.set(members)
    return team


def to_authorize(change, actor, risk="low"):
    """Walk a normal change to authorize."""
    change = services.update_change(change, actor=actor, channel=Channel.WEB, changes={"risk": risk})
    change = services.transition_change(change, actor=actor, channel=Channel.WEB, target=S.ASSESS)
    return services.transition_change(change, actor=actor, channel=Channel.WEB, target=S.AUTHORIZE)


def schedule(change, actor, approver):
    change = to_authorize(change, actor)
    _approval, change = services.decide_approval(change, actor=approver, channel=Channel.WEB, decision="approve")
    return Change.objects.get(pk=change.pk)


def make_two_stage_policy(members):
    """High risk: the change manager (any manager), then the board by a quorum of two."""
    group = make_group("CAB", members)
    policy = make_policy(T.NORMAL, [(group, ApprovalMode.ANY, None), (group, ApprovalMode.QUORUM, 2)],
                         risk=Risk.HIGH)
    policy.stages.filter(order=1).update(name="Change manager", managers_decide=True)
    policy.stages.filter(order=2).update(name="CAB")
    return policy


def authorize_high(requester, title="Patch the web servers"):
    return to_authorize(make_change(requester, title=title), requester, risk=Risk.HIGH)
