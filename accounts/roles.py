"""Roles are Django groups with these names; permissions hang off the groups.

Every role check in the product goes through the predicates below, so that a superuser,
an administrator and a manager are treated consistently by the desk, the portal and the API.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    END_USER = "end_user", _("End user")
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager / change approver")
    ADMIN = "admin", _("Administrator")
    # A certification auditor (issue 18): reads the desk and the API, writes nothing, every
    # request logged (accounts.middleware); usually time-boxed with User.valid_until.
    AUDITOR = "auditor", _("Auditor (read-only)")


# The role names (Role.values builds its list through the enum on every read: ~1 ms of CPU per
# API request where it was read per group name, issue 12 fifth round).
ROLE_NAMES = frozenset(Role.values)

# Each role includes the rights of the ones before it.
DESK_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMIN})
MANAGER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
# Who may open the desk: the staff above (assignable, DESK_ROLES) and auditors, who only read.
DESK_ACCESS_ROLES = DESK_ROLES | {Role.AUDITOR}


def _read_membership(user):
    """(the user's role group names, whether they belong to any team), in one statement."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import Exists, OuterRef

    groups = user.groups.model.objects.filter(user=OuterRef("pk"), name__in=ROLE_NAMES).values("name")
    teams = user.teams.through.objects.filter(user_id=OuterRef("pk"))
    row = (user._meta.model._default_manager.filter(pk=user.pk)
           .values_list(ArraySubquery(groups), Exists(teams)).first())
    return (tuple(row[0]), row[1]) if row else ((), False)


def _read_directly(user_id, read):
    return read()


# How a membership is read: directly, unless accounts.apps keeps it per process under the
# generation a change of role or team membership moves (core.memo.MEMBERSHIP; core sits above
# this module, so accounts.apps puts it in). Issue 12: the roles and the teams were 2 of a desk page's statements.
keep_membership = _read_directly


def membership(user):
    """(role group names, in a team) of a signed-in user, read once per request's user object."""
    cached = getattr(user, "_membership", None)
    if cached is None:
        cached = user._membership = keep_membership(user.pk, lambda: _read_membership(user))
    return cached


def in_a_team(user) -> bool:
    """Whether the person belongs to any team (assignment group)."""
    return getattr(user, "is_authenticated", False) and membership(user)[1]


def role_names(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = remember_role_names(user, membership(user)[0])
    return cached


def remember_role_names(user, names) -> frozenset[str]:
    """Keep the user's group names among the roles (read with the user, e.g. by the API's token
    authentication) so that role_names needs no query."""
    cached = frozenset(name for name in names if name in ROLE_NAMES)
    if user.is_superuser:
        cached |= {Role.ADMIN}
    user._role_names = cached
    return cached


def is_agent(user) -> bool:
    """Desk access: agents, managers, administrators and (reading only) auditors."""
    return bool(role_names(user) & DESK_ACCESS_ROLES)


def is_auditor(user) -> bool:
    """Read-only: every write is refused (accounts.middleware, accounts.authentication)."""
    return Role.AUDITOR in role_names(user)


def is_manager(user) -> bool:
    return bool(role_names(user) & MANAGER_ROLES)


def is_admin(user) -> bool:
    return Role.ADMIN in role_names(user)


def is_end_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and not is_agent(user)


def primary_role(user) -> str | None:
    names = role_names(user)
    for role in (Role.ADMIN, Role.MANAGER, Role.AGENT, Role.AUDITOR, Role.END_USER):
        if role in names:
            return role
    return None
