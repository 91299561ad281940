"""Improvement use cases: the only writers of the register. Atomic, audited, actor and channel
explicit; built on core.services (numbering, version lock, audit rows, events).

`improvement.created` is published by core on creation, `improvement.closed` (closed effective or
not) and `improvement.cancelled` (rejected, cancelled) by core's transition.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import search
from core import services as core_services
from core.exceptions import DomainError, PermissionRefused
from improvements import scoring, workflow
from improvements.choices import MANUAL_SOURCE_TYPES, ImprovementState, Kind, SourceType
from improvements.models import Improvement

S = ImprovementState
# Fields whose change refreshes the search document (Improvement.SEARCH_FIELDS).
SEARCHED = frozenset(Improvement.SEARCH_FIELDS)


def _require_desk(actor):
    # `actor=None` is the register's own subscribers (improvements.sources) raising an item.
    if actor is not None and not roles.is_agent(actor):
        raise PermissionRefused(_("Only service desk staff can work on the improvement register."))


def _check_people(values):
    for name in ("owner", "verified_by"):
        person = values.get(name)
        if person is not None and not roles.is_agent(person):
            raise DomainError(_("Choose a member of the service desk staff."), field=name, code="not_staff")


def _scores(item, changes):
    """The scores after `changes`, checked (400 naming the field), and the priority they give."""
    scores = {name: changes.get(name, getattr(item, name, None)) for name in scoring.SCORE_FIELDS}
    for name, score in scores.items():
        scoring.check_score(name, score)
    return scoring.priority(**scores)


def _derived(item, changes, now):
    """What the register derives itself from a write: the priority, when the verification was recorded."""
    derived = {}
    if set(scoring.SCORE_FIELDS) & set(changes):
        derived["priority"] = _scores(item, changes)
    if "verified_by" in changes:
        verifier = changes["verified_by"]
        if getattr(verifier, "pk", verifier) != item.verified_by_id:
            derived["verified_at"] = now if verifier is not None else None
    return derived


@transaction.atomic
def create_improvement(*, actor, channel, now=None, source=None, source_label="", **fields):
    """Open an item in the register (proposed). By hand the source is `manual` or `audit_finding`;
    the other source types are raised from their record (`raise_from_source`) or by the system
    (`actor=None`: imported history, the demo) with a label saying what the source was."""
    _require_desk(actor)
    now = now or timezone.now()
    fields.pop("state", None)
    core_services.check_editable(Improvement, fields, actor, creating=True, is_agent=True)
    fields.setdefault("source_type", SourceType.MANUAL)
    fields.setdefault("kind", Kind.IMPROVEMENT)
    if actor is not None and source is None and fields["source_type"] not in MANUAL_SOURCE_TYPES:
        raise DomainError(_("By hand, an item's source is a manual entry or an audit finding."),
                          field="source_type", code="not_manual")
    defaults = scoring.DEFAULT_SCORES.get(str(fields["source_type"]), (3, 3, 3))
    for name, default in zip(scoring.SCORE_FIELDS, defaults):
        if fields.get(name) is None:
            fields[name] = default
    _check_people(fields)
    fields["priority"] = _scores(Improvement(), fields)
    if fields.get("verified_by") is not None:
        fields["verified_at"] = now
    if source is not None:
        fields["source_content_type"] = ContentType.objects.get_for_model(source)
        fields["source_object_id"] = source.pk
        source_label = source_label or getattr(source, "number", "") or str(source)
    item = core_services.create_ticket(Improvement, actor=actor, channel=channel, now=now, state=S.PROPOSED,
                                       source_label=(source_label or "")[:200], **fields)
    search.refresh(Improvement, [item.pk])
    return item


def raise_from_source(source_type, record, *, title, description="", label="", organisation=None,
                      service=None, owner=None, due_days=None, now=None):
    """Raise the one item of `record` as a `source_type` source (system actor), or return the
    item raised earlier. Returns (item, created). Safe to call twice, also concurrently: the
    unique constraint decides, and the loser reads the winner's item."""
    content_type = ContentType.objects.get_for_model(record)
    existing = Improvement.objects.filter(source_type=source_type, source_content_type=content_type,
                                          source_object_id=record.pk).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    fields = {"title": title[:200], "description": description, "source_type": source_type,
              "organisation": organisation, "service": service}
    if owner is not None and roles.is_agent(owner):
        fields["owner"] = owner
    if due_days:
        fields["due_date"] = (now + timezone.timedelta(days=due_days)).date()
    try:
        with transaction.atomic():
            item = create_improvement(actor=None, channel="system", now=now, source=record, source_label=label,
                                      **_plain(fields))
    except IntegrityError:
        return Improvement.objects.get(source_type=source_type, source_content_type=content_type,
                                       source_object_id=record.pk), False
    return item, True


def _plain(fields):
    return {k: v for k, v in fields.items() if v is not None}


@transaction.atomic
def update_improvement(item, *, actor, channel, changes, expected_version=None, now=None):
    """Edit an item's fields; a `state` among them moves it (transition_improvement) with the rest.

    Measurements and scores are checked as on every write; an item closed as effective keeps its
    evidence (its result and verifier cannot be removed)."""
    _require_desk(actor)
    changes = dict(changes)
    if "state" in changes and changes["state"] != item.state:
        target = changes.pop("state")
        return transition_improvement(item, target, actor=actor, channel=channel, expected_version=expected_version,
                                      now=now, **changes)
    changes.pop("state", None)
    now = now or timezone.now()
    core_services.check_editable(Improvement, changes, actor, is_agent=True)
    _check_source_type(item, changes)
    _check_people(changes)
    locked = core_services.lock_for_update(item, expected_version)
    if locked.state == S.CLOSED_EFFECTIVE:
        workflow.check_effective(workflow.facts_for(locked, changes))
    changes.update(_derived(locked, changes, now))
    locked, diff = core_services.update_ticket(locked, actor=actor, channel=channel, changes=changes, now=now)
    if SEARCHED & set(diff):
        search.refresh(Improvement, [locked.pk])
    return locked, diff


def _check_source_type(item, changes):
    if "source_type" not in changes or changes["source_type"] == item.source_type:
        return
    if item.source_object_id is not None or changes["source_type"] not in MANUAL_SOURCE_TYPES:
        raise DomainError(_("The source of an item raised from a record does not change."), field="source_type")


@transaction.atomic
def transition_improvement(item, target, *, actor, channel, expected_version=None, now=None, **fields):
    """Move an item through its workflow (improvements.workflow) with the fields that go with the
    move (a result measurement and its verifier, a closing note)."""
    _require_desk(actor)
    if target not in S.values:
        raise DomainError(_("Unknown state: %(state)s.") % {"state": target}, field="state")
    now = now or timezone.now()
    _check_source_type(item, fields)
    _check_people(fields)

    def prepare(locked, facts):
        return _derived(locked, fields, now)

    locked, diff = core_services.transition(item, target, actor=actor, channel=channel, changes=fields,
                                            expected_version=expected_version, is_agent=True, prepare=prepare,
                                            now=now)
    if SEARCHED & set(diff):
        search.refresh(Improvement, [locked.pk])
    return locked, diff


@transaction.atomic
def record_measurement(item, *, actor, channel, which, value, date, unit=None, verified_by=None,
                       expected_version=None, now=None):
    """Record the baseline (before) or the result (after) measurement of an item."""
    if which not in ("baseline", "result"):
        raise DomainError(_("A measurement is a baseline or a result."), field="which")
    if value is None:
        raise DomainError(_("Give the measured value."), field=f"{which}_value", code="required")
    if date is None:
        raise DomainError(_("Give the date of the measurement."), field=f"{which}_date", code="required")
    changes = {f"{which}_value": value, f"{which}_date": date}
    if unit is not None and which == "baseline":
        changes["baseline_unit"] = unit
    if which == "result" and verified_by is not None:
        changes["verified_by"] = verified_by
    return update_improvement(item, actor=actor, channel=channel, changes=changes,
                              expected_version=expected_version, now=now)
