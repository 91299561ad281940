"""Who sees and handles information security incidents (ISO/IEC 20000-1 8.7.3).

The rule, in one place (`may_see`, with `hidden_from` its SQL form for IncidentQuerySet.visible_to,
the start of every incident list, page, search, export and API answer):

- members of a team marked `is_security` (accounts.Team, set by a manager or administrator in
  the admin's assignment groups) see and handle security incidents;
- a person given the permission `incidents.view_security_incidents` (designated one by one in the
  admin, e.g. the CISO or the DPO sitting outside the team) sees and handles them too;
- nobody else on the desk does, whatever their role: managers, administrators and auditors outside
  the group get a 404 like an end user asking for someone else's ticket (an auditor samples them
  when made a member or designated);
- the caller still sees their own incident on the portal, without the security fields.

The pure functions take facts and touch no database; the rest read memberships for one user.
"""

from django.db.models import BooleanField, Exists, F, Q
from django.db.models.expressions import Expression

from accounts import roles

DESIGNATION = ("incidents", "view_security_incidents")


# --- the rules, without a database ----------------------------------------------------------

def may_see(*, is_security: bool, desk: bool, handler: bool, is_caller: bool) -> bool:
    """Whether someone sees an incident. `desk`: the question is asked on the desk or the API
    (False: on the portal, which lists the caller's own incidents and nothing else);
    `handler`: member of a security team or designated. A caller sees their own incident on the
    portal; on the desk an agent who reported a security incident is outside the group like any
    other agent, so `hidden_from` keeps it from them there."""
    if not desk:
        return is_caller
    return not is_security or handler


def may_flag(*, desk: bool, read_only: bool) -> bool:
    """Anyone on the desk who sees an incident may restrict it (it only narrows who sees it)."""
    return desk and not read_only


def may_handle(*, handler: bool, read_only: bool) -> bool:
    """Unflag, rate the CIA impact, log notifications: the security group alone."""
    return handler and not read_only


# --- the same rules for a user ----------------------------------------------------------------

def _membership(user):
    from accounts.models import Team

    return Team.members.through.objects.filter(team__is_security=True, user_id=user.pk)


def _designation(user):
    from accounts.models import User

    app_label, codename = DESIGNATION
    return User.user_permissions.through.objects.filter(
        user_id=user.pk, permission__codename=codename, permission__content_type__app_label=app_label)


def hidden_from(user):
    """The condition that keeps security incidents from desk users outside the group (one SQL
    query with the list, no extra round trip), or None when no condition applies: not
    is_security, or the user is a member of a security team, or designated."""
    if not roles.is_agent(user):
        return None  # end users: their own incidents only, security or not
    return _SeenBySecurityRule(user.pk)


# A user pk no row has: _handler_sql compiles the rule's two EXISTS for it, then puts the
# request's user in its place.
_PROBE_PK = -727_272_727
_HANDLER_SQL = None


def _handler_sql():
    """(sql, params with _PROBE_PK) of "member of a security team OR designated", compiled once
    per process from _membership and _designation (issue 12, fifth round: building and compiling
    the two EXISTS through the ORM was ~10 % of every incident list's CPU, API and desk, for SQL
    that only differs by the user's id). The subqueries reference nothing outside them."""
    global _HANDLER_SQL
    if _HANDLER_SQL is None:
        from types import SimpleNamespace

        probe = SimpleNamespace(pk=_PROBE_PK)
        parts, params = [], []
        for rows in (_membership(probe), _designation(probe)):
            sql, part_params = rows.query.sql_with_params()
            parts.append(f"EXISTS({sql})")
            params.extend(part_params)
        if params.count(_PROBE_PK) != 2:
            raise ValueError("the security rule's SQL names the user other than once per EXISTS")
        _HANDLER_SQL = (" OR ".join(parts), tuple(params))
    return _HANDLER_SQL


class _SeenBySecurityRule(Expression):
    """hidden_from's condition for one user: NOT is_security OR EXISTS(membership) OR
    EXISTS(designation), the same SQL as the Q of those three, without building it per query."""

    conditional = True

    def __init__(self, user_pk, column=None):
        super().__init__(output_field=BooleanField())
        self.user_pk = user_pk
        self.column = F("is_security") if column is None else column

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        sql, params = _handler_sql()
        user_params = [self.user_pk if value == _PROBE_PK else value for value in params]
        return f"(NOT {column_sql} OR {sql})", [*column_params, *user_params]


def hides(user, *, is_security: bool) -> bool:
    """hidden_from's condition for one incident already read: True if it keeps the incident
    from `user` (an is_handler query only for a security incident, once per request)."""
    return is_security and roles.is_agent(user) and not is_handler(user)


def is_handler(user) -> bool:
    """Member of a security team or designated (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_security_handler", None)
    if cached is None:
        from accounts.models import User

        cached = User.objects.filter(pk=user.pk).filter(
            Q(Exists(_membership(user))) | Q(Exists(_designation(user)))).exists()
        user._security_handler = cached
    return cached


def can_flag(user) -> bool:
    return may_flag(desk=roles.is_agent(user), read_only=roles.is_auditor(user))


def can_handle(user) -> bool:
    return may_handle(handler=is_handler(user), read_only=roles.is_auditor(user))


def can_read_security_fields(user) -> bool:
    """The CIA ratings, notes and notification log: the group (auditors among them read)."""
    return roles.is_agent(user) and is_handler(user)
