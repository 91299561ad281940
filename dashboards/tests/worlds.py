"""A small service desk whose dashboards have something in every figure (unit and browser tests)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Team
from accounts.roles import Role
from changes.choices import ChangeState, ChangeType, Outcome
from changes.models import Change
from core.choices import Channel
from incidents import services
from incidents.choices import ResolutionCode
from incidents.models import Incident
from sla import rowstate
from sla.choices import ClockKind, ClockState
from sla.models import SLAClock, SLADefinition


def build_world(*, agent, other_agent, team, end_user, make_user):
    """Incidents of this month and the last: resolved at first contact, reassigned, reopened,
    breached, open of several ages; changes that succeeded, failed, and an emergency."""
    now = timezone.now()
    last_month = timezone.localtime(now).replace(day=1) - dt.timedelta(days=3)
    lead = make_user(Role.AGENT, username="lead")
    network = Team.objects.create(name="Network", manager=lead)
    network.members.add(lead, other_agent)

    def incident(title, *, at=None, group=team, person=agent):
        return services.open_incident(actor=agent, channel=Channel.WEB, title=title, caller=end_user,
                                      assignment_group=group, assigned_to=person, now=at)

    def resolve(inc, at=None):
        return services.resolve(inc, actor=agent, channel=Channel.WEB, code=ResolutionCode.SOLVED_PERMANENTLY,
                                notes="fixed", now=at)

    first = resolve(incident("first contact"))
    moved = incident("handed on")
    moved = services.assign(moved, actor=agent, channel=Channel.WEB, group=network, person=other_agent)
    moved = resolve(moved)
    again = resolve(incident("reopened"))
    again = services.reopen(again, actor=agent, channel=Channel.WEB, reason="still broken")
    resolve(again)
    old = incident("last month", at=last_month)
    resolve(old, at=last_month + dt.timedelta(hours=5))
    breached = incident("breached", group=network, person=other_agent)
    incident("old open", at=now - dt.timedelta(days=10), group=network, person=lead)
    incident("mine open")

    definition = SLADefinition.objects.create(name="Incidents 24x7", ticket_type=ContentType.objects.get_for_model(
        Incident))
    for inc, late in ((breached, True), (first, False)):
        SLAClock.objects.create(
            content_type=ContentType.objects.get_for_model(Incident), object_id=inc.pk, definition=definition,
            kind=ClockKind.RESOLUTION, state=ClockState.RUNNING if late else ClockState.MET, target_minutes=60,
            started_at=now - dt.timedelta(hours=2), due_at=now - dt.timedelta(hours=1),
            breached_at=now - dt.timedelta(hours=1) if late else None,
            stopped_at=None if late else now - dt.timedelta(hours=1, minutes=30))
    rowstate.refresh(Incident, [breached.pk, first.pk])  # as the engine does when it writes clocks

    for n, (kind, outcome) in enumerate([(ChangeType.NORMAL, Outcome.SUCCESSFUL),
                                         (ChangeType.EMERGENCY, Outcome.FAILED),
                                         (ChangeType.STANDARD, Outcome.SUCCESSFUL_WITH_ISSUES)]):
        Change.objects.create(number=f"CHG{n + 1:07d}", title=f"change {n}", requested_by=agent, type=kind,
                              state=ChangeState.CLOSED, outcome=outcome, actual_end=now - dt.timedelta(minutes=5))
    return {"lead": lead, "network": network, "first": first, "moved": moved, "again": again,
            "breached": breached}
