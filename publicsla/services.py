"""Public-sector SLA use cases: the only writers of contracts, their indicator tables, waivers
and recorded evaluations. Managers only; atomic (a refused table saves nothing), audited, and
each publishes public_sla_contract.created/updated, public_sla_waiver.granted or
public_sla_evaluation.recorded."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import roles
from core import audit, events
from core.exceptions import DomainError, PermissionRefused
from publicsla import rules, selectors
from publicsla.models import Contract, Evaluation, Indicator, Waiver

CONTRACT_FIELDS = ("name", "system_grade", "monthly_amount", "services", "penalty_bands", "time_zone", "active")
INDICATOR_FIELDS = ("code", "name", "kind", "required", "weight", "target", "minimum", "formula")


def _require_manager(actor):
    if not roles.is_manager(actor):
        raise PermissionRefused(_("Only managers keep public-sector SLA contracts."))


def _messages():
    """publicsla.rules' refusals in the user's language."""
    return {
        "grade": _("The system grade is 1, 2, 3 or 4."),
        "empty": _("Give the indicator table."),
        "duplicate_code": _("Each indicator code appears once."),
        "kind": _("Unknown indicator kind: %(kind)s."),
        "one_availability": _("The table has exactly one availability indicator."),
        "one_restore": _("The table has at most one restore-time indicator."),
        "negative_weight": _("A weight is not negative."),
        "minimum_side": _("%(code)s: the minimum level is on the far side of the target."),
        "weights": _("The weights add up to %(total)s %%, not 100 %%."),
        "availability_weight": _("The availability weight is %(weight)s %%; it is at least 30 %%."),
        "band_shape": _("Each band is [lowest score, penalty percent]."),
        "band_zero": _("The lowest band starts at score 0."),
        "band_score": _("Band scores are between 0 and 100."),
        "band_penalty": _("A penalty is between 0 and 20 percent of the monthly amount."),
    }


def _check(fn, *args):
    try:
        return fn(*args)
    except rules.RuleError as error:
        template = _messages().get(error.code)
        message = (template % error.params if error.params else template) if template else error.message
        raise DomainError(message, field=error.field, code=error.code) from error


def _clean_indicators(indicators):
    cleaned = []
    for position, row in enumerate(indicators):
        try:
            item = {"code": str(row["code"]).strip(), "name": str(row["name"]).strip(),
                    "kind": row.get("kind") or "manual", "required": bool(row.get("required", True)),
                    "weight": Decimal(str(row["weight"])), "target": Decimal(str(row["target"])),
                    "minimum": Decimal(str(row["minimum"])), "formula": str(row.get("formula") or "")[:300],
                    "order": position}
        except (KeyError, TypeError, InvalidOperation):
            raise DomainError(_("Each indicator has a code, a name, a weight, a target and a minimum level."),
                              field="indicators")
        if not item["code"] or not item["name"]:
            raise DomainError(_("Each indicator has a code and a name."), field="indicators")
        cleaned.append(item)
    _check(rules.check_indicators, cleaned)
    return cleaned


def _write_indicators(contract, indicators):
    contract.indicators.all().delete()
    Indicator.objects.bulk_create(Indicator(contract=contract, **row) for row in indicators)


def _indicator_snapshot(contract):
    return [{name: audit.raw_value(getattr(i, name)) for name in INDICATOR_FIELDS} for i in contract.indicators.all()]


@transaction.atomic
def create_contract(*, actor, channel, name, system_grade=1, monthly_amount=0, services=(), indicators=None,
                    penalty_bands=None, time_zone="Asia/Seoul", active=True):
    """A contract with its indicator table (the grade's default table when none is given)."""
    _require_manager(actor)
    _check(rules.check_grade, system_grade)
    table = _clean_indicators(indicators if indicators is not None else rules.default_indicators(system_grade))
    bands = penalty_bands if penalty_bands is not None else [list(b) for b in rules.DEFAULT_PENALTY_BANDS]
    _check(rules.check_bands, bands)
    if Decimal(monthly_amount) < 0:
        raise DomainError(_("The monthly amount is not negative."), field="monthly_amount")
    contract = Contract.objects.create(name=name, system_grade=system_grade, monthly_amount=monthly_amount,
                                       penalty_bands=bands, time_zone=time_zone, active=active)
    contract.services.set(services)
    _write_indicators(contract, table)
    audit.record_creation(contract, actor=actor, channel=channel, fields=CONTRACT_FIELDS,
                          context={"indicators": _indicator_snapshot(contract)})
    events.publish("public_sla_contract.created", contract, actor=actor, channel=channel)
    return contract


@transaction.atomic
def update_contract(contract, *, actor, channel, changes, indicators=None):
    _require_manager(actor)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    before = audit.snapshot(locked, CONTRACT_FIELDS)
    changes = dict(changes)
    services = changes.pop("services", None)
    if "system_grade" in changes:
        _check(rules.check_grade, changes["system_grade"])
    if "penalty_bands" in changes:
        _check(rules.check_bands, changes["penalty_bands"])
    if "monthly_amount" in changes and Decimal(changes["monthly_amount"]) < 0:
        raise DomainError(_("The monthly amount is not negative."), field="monthly_amount")
    for name, value in changes.items():
        if name not in CONTRACT_FIELDS:
            raise DomainError(_("This field cannot be changed."), field=name)
        setattr(locked, name, value)
    locked.save()
    if services is not None:
        locked.services.set(services)
    context = {}
    if indicators is not None:
        old_table = _indicator_snapshot(locked)
        _write_indicators(locked, _clean_indicators(indicators))
        new_table = _indicator_snapshot(locked)
        if new_table != old_table:
            context = {"indicators": {"old": old_table, "new": new_table}}
    diff = audit.changes_between(before, audit.snapshot(locked, CONTRACT_FIELDS))
    if diff or context:
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff or {"indicators": (None, None)},
                             context=context)
        events.publish("public_sla_contract.updated", locked, actor=actor, channel=channel,
                       data={"fields": sorted(diff) + (["indicators"] if context else [])})
    return locked


@transaction.atomic
def grant_waiver(contract, *, actor, channel, year, month, reason):
    """Waive one month's penalty; once per contract and year (400 for a second one)."""
    _require_manager(actor)
    if not (1 <= int(month) <= 12):
        raise DomainError(_("Give a month between 1 and 12."), field="month")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the waiver."), field="reason", code="required")
    try:
        with transaction.atomic():
            waiver = Waiver.objects.create(contract=contract, year=year, month=month, reason=reason.strip(),
                                           granted_by=actor)
    except IntegrityError:
        raise DomainError(_("This contract's waiver for %(year)s is already used.") % {"year": year}, field="year")
    audit.record_creation(waiver, actor=actor, channel=channel, fields=("contract", "year", "month", "reason"))
    events.publish("public_sla_waiver.granted", waiver, actor=actor, channel=channel)
    return waiver


def _json(value):
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return audit.raw_value(value)


@transaction.atomic
def record_evaluation(contract, first_day, *, actor, channel, now=None):
    """Freeze the month's evaluation (recording it again replaces the figures, audited)."""
    _require_manager(actor)
    sheet = selectors.evaluate(contract, first_day, now=now)
    values = {"availability_percent": sheet["availability_percent"], "sanction": sheet["sanction"],
              "score": sheet["score"], "penalty_percent": sheet["penalty_percent"],
              "penalty_amount": sheet["penalty_amount"], "waived": sheet["waived"], "figures": _json(sheet),
              "recorded_by": actor}
    evaluation, created = Evaluation.objects.update_or_create(contract=contract, month=first_day, defaults=values)
    fields = ("contract", "month", "availability_percent", "sanction", "score", "penalty_percent", "penalty_amount",
              "waived")
    audit.record_creation(evaluation, actor=actor, channel=channel, fields=fields,
                          context={"recorded_again": not created})
    events.publish("public_sla_evaluation.recorded", evaluation, actor=actor, channel=channel,
                   data={"month": first_day.isoformat()})
    return evaluation
