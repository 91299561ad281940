"""Release and deployment use cases: the only writers of releases and deployments, audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.choices import AUTHORISED_STATES
from core import audit, services as core_services
from core.choices import AuditAction
from core.exceptions import DomainError, PermissionRefused
from releases import workflow
from releases.choices import DeploymentState as D, Environment, ReleaseState as S
from releases.models import Deployment, Release



def _require_desk(actor):
    if not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can work on releases."))


def readiness_of(release, changes=None):
    """The production readiness checklist of a release (uses prefetched changes if present)."""
    changes = list(release.changes.all()) if changes is None else changes
    facts = [workflow.ChangeFact(c.number, c.state) for c in changes]
    return workflow.readiness(facts, tests_passed=release.tests_passed, test_summary=release.test_summary,
                              authorised_states=AUTHORISED_STATES)


@transaction.atomic
def create_release(*, actor, channel, changes=(), **fields):
    _require_desk(actor)
    core_services.check_editable(Release, fields, actor, creating=True)
    if not (fields.get("version_label") or "").strip():
        raise DomainError(_("A release needs a version label."), field="version_label", code="required")
    return core_services.create_ticket(Release, actor=actor, channel=channel,
                                       m2m={"changes": [getattr(c, "pk", c) for c in changes]}, **fields)


@transaction.atomic
def update_release(release, *, actor, channel, changes, expected_version=None, change_set=None, reason=""):
    """Edit a release; a `state` in `changes` goes through transition_release after the edits."""
    _require_desk(actor)
    changes = dict(changes)
    target = changes.pop("state", None)
    core_services.check_editable(Release, changes, actor)
    locked = core_services.lock_for_update(release, expected_version)
    if locked.state in workflow.TRANSITIONS and not workflow.TRANSITIONS[locked.state] and (changes or change_set):
        raise DomainError(_("A closed release cannot be edited."), field="state", code="closed")
    if changes:
        locked, _diff = core_services.update_ticket(locked, actor=actor, channel=channel, changes=changes,
                                                    expected_version=locked.version)
    if change_set is not None:
        locked = core_services.set_links(locked, field="changes", targets=change_set, actor=actor, channel=channel)
    if target is not None and target != locked.state:
        locked = transition_release(locked, actor=actor, channel=channel, target=target, reason=reason)
    return locked


@transaction.atomic
def transition_release(release, *, actor, channel, target, expected_version=None, reason=""):
    """Move a release along its life cycle. Closing after deploy needs a successful production
    deployment; rolling back needs a reason (use rollback for the deployment record too)."""
    _require_desk(actor)
    reason = (reason or "").strip()

    def prepare(locked, facts):
        # Guards that need the release's deployments, once the life cycle allows the move.
        if target == S.CLOSED and locked.state == S.DEPLOY:
            if not locked.deployments.filter(environment=Environment.PRODUCTION, state=D.SUCCEEDED).exists():
                raise DomainError(_("Close the release after a successful production deployment."),
                                  field="state", code="not_deployed")
        if target == S.ROLLED_BACK:
            if not reason:
                raise DomainError(_("Say why the release is rolled back."), field="rollback_reason",
                                  code="required")
            return {"rollback_reason": reason}
        return {}

    locked, _diff = core_services.transition(release, target, actor=actor, channel=channel,
                                             expected_version=expected_version, prepare=prepare,
                                             audit_context={"reason": reason} if reason else None)
    return locked


@transaction.atomic
def set_deployment_state(release, *, actor, channel, environment, target, notes=""):
    """Record a deployment step in one environment: planned → in_progress → succeeded/failed →
    rolled_back. Starting a production deployment needs the readiness checklist to pass; rolling
    back production rolls the release back."""
    _require_desk(actor)
    if environment not in Environment.values:
        raise DomainError(_("Unknown environment."), field="environment")
    if target not in D.values:
        raise DomainError(_("Unknown deployment state."), field="state")
    locked = core_services.lock_for_update(release)
    now = timezone.now()
    latest = locked.deployments.filter(environment=environment).order_by("-created_at", "-id").first()
    finished = latest is None or latest.state in (D.SUCCEEDED, D.FAILED, D.ROLLED_BACK)
    if target in (D.PLANNED, D.IN_PROGRESS) and finished:
        latest = Deployment.objects.create(release=locked, environment=environment, created_by=actor,
                                           created_at=now, notes=notes or "")
        if target == D.PLANNED:
            audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="deployment",
                         new=f"{environment}:{D.PLANNED}", at=now, context={"deployment_id": latest.pk})
            core_services.touch(locked, now=now)
            return latest
    if latest is None:
        raise InvalidDeployment(environment)
    workflow.check_deployment_transition(latest.state, target)
    if target == D.IN_PROGRESS:
        workflow.check_can_start_deployment(environment, locked.state, readiness_of(locked))
        latest.started_at = now
    elif target in (D.SUCCEEDED, D.FAILED):
        latest.finished_at = now
    elif target == D.ROLLED_BACK:
        if not (notes or "").strip():
            raise DomainError(_("Say why the deployment is rolled back."), field="notes", code="required")
        latest.finished_at = latest.finished_at or now
    old = latest.state
    latest.state = target
    if notes:
        latest.notes = notes
    latest.save(update_fields=["state", "started_at", "finished_at", "notes"])
    audit.record(locked, actor=actor, channel=channel, action=AuditAction.UPDATED, field="deployment",
                 old=f"{environment}:{old}", new=f"{environment}:{target}", at=now,
                 context={"deployment_id": latest.pk, "reason": notes or ""})
    if target == D.ROLLED_BACK and environment == Environment.PRODUCTION and locked.state == S.DEPLOY:
        transition_release(locked, actor=actor, channel=channel, target=S.ROLLED_BACK, reason=notes)
    else:
        core_services.touch(locked, now=now)
    return latest


class InvalidDeployment(DomainError):
    def __init__(self, environment):
        super().__init__(_("There is no deployment to %(env)s yet: start one first.") % {"env": environment},
                         field="environment", code="no_deployment")
