"""Service portfolio use cases: the only writers of portfolio entries. Atomic, audited, actor and
channel explicit. Events: `portfolio-service.created`, `.updated`, `.live`, `.retired`."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.choices import ChangeState
from core import audit, events
from core.exceptions import DomainError, PermissionRefused
from core.services import lock_for_update
from portfolio import lifecycle
from portfolio.choices import Lifecycle
from portfolio.models import PortfolioService

SCALARS = ("name_ko", "summary", "summary_ko", "lifecycle", "owner", "change", "live_since")
AUDITED = SCALARS + ("service", "retired_at")


def _require_desk(actor):
    if actor is not None and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff work on the service portfolio."))


def _check(fields):
    unknown = set(fields) - set(PortfolioService.EDITABLE_FIELDS) - {"service"}
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
                          code="not_editable")
    owner = fields.get("owner")
    if owner is not None and not roles.is_agent(owner):
        raise DomainError(_("Choose a member of the service desk staff."), field="owner", code="not_staff")


def _check_move(current, target, change):
    lifecycle.check_move(current, target, change_id=getattr(change, "pk", None),
                         change_cancelled=getattr(change, "state", None) == ChangeState.CANCELLED)


@transaction.atomic
def create_service(*, actor, channel, service, now=None, customers=(), **fields):
    """Put a business service (a CMDB CI of the business service class) in the portfolio."""
    _require_desk(actor)
    now = now or timezone.now()
    _check(fields)
    if service is None or not service.is_business_service:
        raise DomainError(_("Choose a business service of the CMDB."), field="service")
    if PortfolioService.objects.filter(service=service).exists():
        raise DomainError(_("This service is already in the portfolio."), field="service", code="duplicate")
    target = fields.get("lifecycle", Lifecycle.PIPELINE)
    if target != Lifecycle.PIPELINE:
        _check_move(Lifecycle.PIPELINE, target, fields.get("change"))
    entry = PortfolioService(service=service, created_at=now, updated_at=now, **fields)
    if entry.lifecycle == Lifecycle.LIVE and entry.live_since is None:
        entry.live_since = timezone.localdate(now)
    if entry.lifecycle == Lifecycle.RETIRED:
        entry.retired_at = now
    entry.save()
    if customers:
        entry.customers.set(customers)
    audit.record_creation(entry, actor=actor, channel=channel, fields=AUDITED, at=now)
    events.publish("portfolio-service.created", entry, actor=actor, channel=channel, at=now)
    return entry


@transaction.atomic
def update_service(entry, *, actor, channel, changes, expected_version=None, now=None):
    """Edit an entry; a new `lifecycle` moves it (retiring needs the linked `change`)."""
    _require_desk(actor)
    now = now or timezone.now()
    changes = dict(changes)
    customers = changes.pop("customers", None)
    _check(changes)
    changes.pop("service", None)
    locked = lock_for_update(entry, expected_version)
    old_stage = locked.lifecycle
    target = changes.get("lifecycle", old_stage)
    change = changes["change"] if "change" in changes else locked.change
    if target != old_stage:
        _check_move(old_stage, target, change)
        if target == Lifecycle.LIVE and not changes.get("live_since") and locked.live_since is None:
            changes["live_since"] = timezone.localdate(now)
        if target == Lifecycle.RETIRED:
            changes["retired_at"] = now
    elif old_stage == Lifecycle.RETIRED and "change" in changes and changes["change"] is None:
        raise DomainError(_("A retired service keeps the change that retired it."), field="change")
    diff = {}
    for name, value in changes.items():
        attname = PortfolioService._meta.get_field(name).attname
        old = getattr(locked, attname)
        new = getattr(value, "pk", value)
        if old != new:
            diff[name] = (old, new)
            setattr(locked, attname, new)
    if customers is not None:
        old_ids = set(locked.customers.values_list("pk", flat=True))
        new_ids = {getattr(c, "pk", c) for c in customers}
        if old_ids != new_ids:
            locked.customers.set(new_ids)
            diff["customers"] = (sorted(old_ids), sorted(new_ids))
    if not diff:
        return locked
    locked.version += 1
    locked.updated_at = now
    locked.save()
    audit.record_changes(locked, actor=actor, channel=channel, changes=diff, at=now)
    events.publish("portfolio-service.updated", locked, actor=actor, channel=channel, at=now,
                   data={"fields": sorted(diff)})
    if target != old_stage:
        events.publish(f"portfolio-service.{target}", locked, actor=actor, channel=channel, at=now,
                       data={"from": str(old_stage), "to": str(target)})
    return locked
