"""Who sees which dashboard: plain rules over a user's roles and the groups they lead.

- Managers (and administrators) see the manager dashboard, and the lead and agent ones.
- Team leads, the managers of an assignment group (`Team.manager`), see the lead dashboard
  for the groups they lead, and their own agent dashboard.
- Agents see their own agent dashboard.
- End users see none: /dashboards/ sends them to the portal, a dashboard URL answers 404.
"""

from accounts import roles
from accounts.models import Team

AGENT, LEAD, MANAGER = "agent", "lead", "manager"


def led_teams(user):
    """The assignment groups this person manages."""
    return Team.objects.filter(manager=user).order_by("name")


def can_see(user, dashboard, *, leads_a_team=None) -> bool:
    if not roles.is_agent(user):
        return False
    if dashboard == AGENT:
        return True
    if roles.is_manager(user):
        return True
    if dashboard == LEAD:
        return bool(led_teams(user).exists() if leads_a_team is None else leads_a_team)
    return False


def home(user) -> str | None:
    """The dashboard /dashboards/ opens for this person (None: not a desk user)."""
    if not roles.is_agent(user):
        return None
    if roles.is_manager(user):
        return MANAGER
    if led_teams(user).exists():
        return LEAD
    return AGENT
