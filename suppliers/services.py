"""Writers of supplier management: suppliers (with contacts), contracts (with the agreement the
SLA engine runs for their targets) and disputes. Each takes the actor and the channel, runs in
one transaction, validates everything before the first write (so a refusal saves nothing),
writes the audit trail and publishes its event through the outbox."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, events
from core.choices import AuditAction, Channel
from core.services import lock_for_update
from sla import services as sla_services
from sla.models import SLADefinition
from suppliers.choices import UNDERPINNING, DisputeState
from suppliers.models import Contract, Dispute, Supplier, SupplierContact

SUPPLIER_FIELDS = ("name", "business_number", "internal", "team", "website", "notes", "active")
CONTACT_FIELDS = ("name", "email", "phone", "role")
CONTRACT_FIELDS = ("supplier", "kind", "title", "reference", "scope", "start", "end", "value", "responsible",
                   "review_date", "calendar")
CONTRACT_M2M = ("services", "documents")
DISPUTE_FIELDS = ("contract", "raised_on", "subject", "amount", "state", "resolution", "resolved_on")
# The ticket type the contract's targets run on: incidents are what suppliers restore.
TICKET_TYPE = ("incidents", "incident")


def _audited(obj, *, before, after, created, actor, channel, event):
    """One creation row, or one row per changed field (and the version moves)."""
    diff = audit.changes_between(before, after)
    if created:
        audit.record(obj, actor=actor, channel=channel, action=AuditAction.CREATED,
                     new={k: v for k, v in after.items() if v not in (None, "", [])})
    elif diff:
        type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
        obj.version += 1
        audit.record_changes(obj, actor=actor, channel=channel, changes=diff)
    if created or diff:
        events.publish(event, obj, actor=actor, channel=channel, data={"created": created, "fields": sorted(diff)})
    return diff


def _full_clean_rows(rows, key, exclude):
    errors = []
    for index, row in enumerate(rows):
        try:
            row.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors.append(_("Row %(n)d: %(errors)s") % {"n": index + 1, "errors": "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())})
    if errors:
        raise ValidationError({key: errors})


# --- suppliers ---------------------------------------------------------------------------------
def _supplier_state(supplier):
    state = audit.snapshot(supplier, SUPPLIER_FIELDS)
    state["contacts"] = [{k: getattr(c, k) for k in CONTACT_FIELDS} for c in supplier.contacts.all()] \
        if supplier.pk else []
    return state


@transaction.atomic
def save_supplier(supplier: Supplier | None, *, actor, channel, fields: dict, contacts=None,
                  expected_version=None) -> Supplier:
    """Create or update a supplier; `contacts` (list of {name, email, phone, role}) replaces the old ones."""
    created = supplier is None or supplier.pk is None
    supplier = Supplier() if created else lock_for_update(supplier, expected_version)
    before = _supplier_state(supplier)
    for name, value in fields.items():
        if name in SUPPLIER_FIELDS:
            setattr(supplier, name, value)
    supplier.full_clean()
    rows = None
    if contacts is not None:
        rows = [SupplierContact(**{k: (c.get(k) or "") for k in CONTACT_FIELDS}) for c in contacts]
        _full_clean_rows(rows, "contacts", exclude=["supplier"])
    supplier.save()
    if rows is not None:
        supplier.contacts.all().delete()
        for row in rows:
            row.supplier = supplier
        SupplierContact.objects.bulk_create(rows)
    _audited(supplier, before=before, after=_supplier_state(supplier), created=created, actor=actor,
             channel=channel, event="supplier.changed")
    return supplier


# --- contracts ---------------------------------------------------------------------------------
def _contract_state(contract):
    state = audit.snapshot(contract, CONTRACT_FIELDS + CONTRACT_M2M)
    state["definition"] = contract.definition_id
    return state


def check_targets(targets) -> list[dict]:
    """[{priority, response_minutes, resolution_minutes}] with priorities 1..5 once each and at
    least one positive target per row; ValidationError on `targets` otherwise."""
    if targets in (None, ""):
        return []
    if not isinstance(targets, list):
        raise ValidationError({"targets": [_("Targets are a list of {priority, response_minutes, "
                                             "resolution_minutes}.")]})
    cleaned, errors, seen = [], [], set()
    for index, row in enumerate(targets, start=1):
        if not isinstance(row, dict):
            errors.append(_("Row %(n)d is not an object.") % {"n": index})
            continue
        priority = row.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 5:
            errors.append(_("Row %(n)d: the priority must be 1 to 5.") % {"n": index})
            continue
        if priority in seen:
            errors.append(_("Row %(n)d: P%(p)d appears twice.") % {"n": index, "p": priority})
            continue
        seen.add(priority)
        values = {}
        for key in ("response_minutes", "resolution_minutes"):
            value = row.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                errors.append(_("Row %(n)d: %(key)s must be a whole number of minutes above zero.")
                              % {"n": index, "key": key})
            values[key] = value
        if values["response_minutes"] is None and values["resolution_minutes"] is None:
            errors.append(_("Row %(n)d: give a response or a resolution target.") % {"n": index})
        cleaned.append({"priority": priority, **values})
    if errors:
        raise ValidationError({"targets": errors})
    return sorted(cleaned, key=lambda t: t["priority"])


def _definition_fields(contract, service_ids):
    applies_to = {}
    if service_ids:
        applies_to["services"] = sorted(service_ids)
    if contract.kind in UNDERPINNING:
        applies_to["assignment_groups"] = [contract.supplier.team_id]
    name = f"{contract.title} ({contract.kind.upper()} #{contract.pk})"[:150]
    return {"name": name, "agreement": contract.kind, "active": contract.end >= timezone.localdate(),
            "ticket_type": ContentType.objects.get_by_natural_key(*TICKET_TYPE), "applies_to": applies_to,
            "calendar": contract.calendar}


@transaction.atomic
def save_contract(contract: Contract | None, *, actor, channel, fields: dict, services=None, documents=None,
                  targets=None, expected_version=None) -> Contract:
    """Create or update a contract. `targets` (per priority, business minutes of the contract's
    calendar) are written into the contract's own SLA definition, which the engine then runs on
    the tickets of its services (for an OLA or UC: those assigned to the supplier's group);
    an empty list removes the definition's targets and deactivates it."""
    created = contract is None or contract.pk is None
    contract = Contract() if created else lock_for_update(contract, expected_version)
    before = _contract_state(contract)
    for name, value in fields.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    contract.full_clean(exclude=["definition"])
    cleaned_targets = check_targets(targets) if targets is not None else None
    keeps_agreement = cleaned_targets or (cleaned_targets is None and contract.definition_id)
    if keeps_agreement and contract.kind in UNDERPINNING and not contract.supplier.team_id:
        raise ValidationError({"targets" if cleaned_targets else "supplier": [_(
            "Give %(supplier)s an assignment group first: an OLA or UC runs on the tickets assigned to it.")
            % {"supplier": contract.supplier}]})
    contract.save()
    if services is not None:
        contract.services.set(services)
    if documents is not None:
        contract.documents.set(documents)
    _sync_definition(contract, cleaned_targets, actor=actor, channel=channel)
    _audited(contract, before=before, after=_contract_state(contract), created=created, actor=actor,
             channel=channel, event="contract.changed")
    return contract


def _sync_definition(contract, targets, *, actor, channel):
    """Keep the contract's agreement in step with it: its scope, calendar and (when given) targets."""
    if targets is None and contract.definition_id is None:
        return
    if targets == [] and contract.definition_id is None:
        return
    service_ids = list(contract.services.values_list("pk", flat=True))
    fields = _definition_fields(contract, service_ids)
    if targets == []:
        fields["active"] = False
        targets = None
    definition = contract.definition
    saved = sla_services.save_definition(definition, actor=actor, channel=channel, fields=fields, targets=targets)
    if contract.definition_id != saved.pk:
        contract.definition = saved
        contract.save(update_fields=["definition"])


def contract_targets(contract) -> list[dict]:
    if not contract.definition_id:
        return []
    return [{"priority": t.priority, "response_minutes": t.response_minutes,
             "resolution_minutes": t.resolution_minutes} for t in contract.definition.targets.all()]


@transaction.atomic
def publish_expiring(*, days=90, today=None) -> int:
    """Publish `contract.expiring` once per contract that ends within `days` days; safe to run
    twice (rows are claimed under a lock and stamped)."""
    today = today or timezone.localdate()
    due = list(Contract.objects.expiring_within(days, today=today).filter(expiry_notified_at__isnull=True)
               .select_for_update(skip_locked=True).order_by("end", "id"))
    if not due:
        return 0
    now = timezone.now()
    Contract.objects.filter(pk__in=[c.pk for c in due]).update(expiry_notified_at=now)
    events.publish_many("contract.expiring", [
        (c, {"supplier": c.supplier_id, "end": c.end.isoformat(), "days_left": (c.end - today).days}) for c in due])
    return len(due)


def close_ended(*, today=None) -> int:
    """Deactivate the agreements of contracts that have ended, so the SLA engine starts no more
    clocks under them (running clocks keep their target). Safe to run twice."""
    today = today or timezone.localdate()
    ended = SLADefinition.objects.filter(contract__end__lt=today, active=True).order_by("pk")
    count = 0
    for definition in ended:
        sla_services.save_definition(definition, actor=None, channel=Channel.SYSTEM, fields={"active": False})
        count += 1
    return count


# --- disputes ----------------------------------------------------------------------------------
@transaction.atomic
def save_dispute(dispute: Dispute | None, *, actor, channel, fields: dict, expected_version=None) -> Dispute:
    """Log a dispute or update it; resolving needs the resolution and stamps the date."""
    created = dispute is None or dispute.pk is None
    dispute = Dispute() if created else lock_for_update(dispute, expected_version)
    before = audit.snapshot(dispute, DISPUTE_FIELDS) if not created else {}
    for name, value in fields.items():
        if name in DISPUTE_FIELDS:
            setattr(dispute, name, value)
    if dispute.state == DisputeState.RESOLVED and dispute.resolved_on is None:
        dispute.resolved_on = timezone.localdate()
    if dispute.state == DisputeState.OPEN:
        dispute.resolved_on = None
    dispute.full_clean()
    dispute.save()
    _audited(dispute, before=before, after=audit.snapshot(dispute, DISPUTE_FIELDS), created=created, actor=actor,
             channel=channel, event="dispute.changed")
    return dispute
