"""Release life cycle and the production readiness check. Plain Python, no ORM."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.exceptions import DomainError, InvalidTransition
from releases.choices import DeploymentState as D, Environment, ReleaseState as S

TRANSITIONS = {
    S.PLANNED: (S.BUILD, S.CLOSED),
    S.BUILD: (S.TEST, S.PLANNED),
    S.TEST: (S.DEPLOY, S.BUILD),
    S.DEPLOY: (S.CLOSED, S.ROLLED_BACK),
    S.CLOSED: (),
    S.ROLLED_BACK: (S.BUILD,),
}

# Moves named differently from their target state (core.tickets.Lifecycle.action_label).
ACTION_LABELS = {
    (S.BUILD, S.PLANNED): pgettext_lazy("release action", "Back to planning"),
    (S.TEST, S.BUILD): pgettext_lazy("release action", "Back to build"),
    (S.ROLLED_BACK, S.BUILD): pgettext_lazy("release action", "Rebuild"),
    (None, S.ROLLED_BACK): pgettext_lazy("release action", "Roll back"),
}

DEPLOYMENT_TRANSITIONS = {
    D.PLANNED: (D.IN_PROGRESS,),
    D.IN_PROGRESS: (D.SUCCEEDED, D.FAILED),
    D.SUCCEEDED: (D.ROLLED_BACK,),
    D.FAILED: (D.ROLLED_BACK,),
    D.ROLLED_BACK: (),
}


@dataclass(frozen=True)
class ChangeFact:
    number: str
    state: str


@dataclass
class Readiness:
    """The production readiness checklist: every item must pass."""

    items: list = field(default_factory=list)  # [(key, label, passed, detail)]

    @property
    def ready(self):
        return all(passed for _key, _label, passed, _detail in self.items)

    def failures(self):
        return [(key, label, detail) for key, label, passed, detail in self.items if not passed]


def readiness(changes, *, tests_passed, test_summary, authorised_states):
    """All changes authorised (scheduled, implement, review or closed) and tests recorded."""
    unauthorised = [c.number for c in changes if c.state not in authorised_states]
    items = [
        ("has_changes", _("The release contains at least one change"), bool(changes), ""),
        ("changes_authorised", _("Every change is authorised"), not unauthorised, ", ".join(unauthorised)),
        ("tests_recorded", _("Test results are recorded and passed"),
         bool(tests_passed and (test_summary or "").strip()), ""),
    ]
    return Readiness(items=items)


@dataclass(frozen=True)
class ReleaseFacts:
    state: str


def facts_for(ticket, changes=None):
    return ReleaseFacts(state=ticket.state)


def allowed_targets(facts, *, is_agent=True):
    state = facts.state if isinstance(facts, ReleaseFacts) else facts
    return tuple(TRANSITIONS.get(state, ()))


def check_transition(facts, target, *, is_agent=True):
    """`facts` is a ReleaseFacts or a bare state; guards needing records live in the service."""
    state = facts.state if isinstance(facts, ReleaseFacts) else facts
    allowed = allowed_targets(state)
    if target not in allowed:
        raise InvalidTransition(state, target, allowed)


def check_deployment_transition(state, target):
    allowed = DEPLOYMENT_TRANSITIONS.get(state, ())
    if target not in allowed:
        raise InvalidTransition(state, target, allowed)


def check_can_start_deployment(environment, release_state, ready):
    """A production deployment needs the readiness checklist to pass and the release in deploy."""
    if environment == Environment.PRODUCTION:
        if release_state != S.DEPLOY:
            raise DomainError(_("Move the release to deploy before a production deployment."), field="state",
                              code="not_deploy")
        if not ready.ready:
            failed = "; ".join(f"{label}{' (' + detail + ')' if detail else ''}"
                               for _key, label, detail in ready.failures())
            raise DomainError(_("The release is not ready for production: %(failed)s.") % {"failed": failed},
                              field="environment", code="not_ready")
    elif release_state in (S.CLOSED,):
        raise DomainError(_("The release is closed."), field="state", code="closed")


def transition_tables():
    """Every state table this workflow answers from (core checks them for consistency)."""
    return (TRANSITIONS,)
