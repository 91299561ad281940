"""Writers of the catalog: categories and items (with their form, approval stages and fulfilment
plan). The desk pages, the API and the admin all call these; each takes the actor and the
channel, runs in one transaction, refuses a stale version and writes the audit trail, since an
edited form or approval stage changes what every later request asks and who approves it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog import selectors
from catalog.formschema import check_form_definition, form_fields
from catalog.models import ApproverKind, CatalogItem, Category, ItemApprovalStage, TaskTemplate
from core import audit, events
from core import services as core_services
from core.choices import ApprovalMode, AuditAction

CATEGORY_FIELDS = ("name", "name_ko", "description", "description_ko", "parent", "icon", "order", "active")
ITEM_FIELDS = ("category", "name", "name_ko", "summary", "summary_ko", "description", "description_ko", "icon",
               "picture", "service", "available_to_everyone", "active", "delivery_time", "sla_from_delivery_time",
               "max_quantity", "form_schema", "form_ui")
ITEM_M2M = ("organisations", "groups")
STAGE_FIELDS = ("order", "name", "approver", "group", "mode", "quorum")
TASK_FIELDS = ("stage", "order", "name", "name_ko", "instructions", "assignment_group", "answer_fields",
               "change_template")


def _audit_saved(obj, *, before, after, created, actor, channel, event):
    """Created: one row with the values; updated: one row per changed field, and the version moves
    so a form read before this write is refused."""
    diff = audit.changes_between(before, after)
    if created:
        audit.record(obj, actor=actor, channel=channel, action=AuditAction.CREATED,
                     new={name: value for name, value in after.items() if value not in (None, "", [], {})})
    elif diff:
        type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
        obj.version += 1
        audit.record_changes(obj, actor=actor, channel=channel, changes=diff)
    if diff or created:
        events.publish(event, obj, actor=actor, channel=channel, data={"fields": sorted(diff), "created": created})
    return diff


# --- categories ----------------------------------------------------------------------------------

@transaction.atomic
def save_category(category: Category | None, *, actor, channel, fields: dict, expected_version=None) -> Category:
    """Create or update a category (one level of nesting: Category.clean says why not)."""
    created = category is None or category.pk is None
    category = Category() if created else core_services.lock_for_update(category, expected_version)
    before = {} if created else audit.snapshot(category, CATEGORY_FIELDS)
    for name, value in fields.items():
        if name in CATEGORY_FIELDS:
            setattr(category, name, value)
    if not created and category.parent_id == category.pk:
        raise ValidationError({"parent": [_("A category cannot be its own parent.")]})
    category.full_clean(exclude=["version"])
    category.save()
    _audit_saved(category, before=before, after=audit.snapshot(category, CATEGORY_FIELDS), created=created,
                 actor=actor, channel=channel, event="catalog.category_changed")
    return category


# --- items -------------------------------------------------------------------------------------

def _stage_rows(item):
    return [{name: audit.raw_value(audit.field_value(stage, name)) for name in STAGE_FIELDS}
            for stage in item.approval_stages.order_by("order")] if item.pk else []


def _task_rows(item):
    return [{name: audit.raw_value(audit.field_value(task, name)) for name in TASK_FIELDS}
            for task in item.task_templates.order_by("stage", "order", "id")] if item.pk else []


def _item_state(item):
    state = audit.snapshot(item, ITEM_FIELDS)
    state["picture"] = item.picture.name if item.picture else ""
    for name in ITEM_M2M:
        state[name] = audit.field_value(item, name)
    state["approval_stages"] = _stage_rows(item)
    state["task_templates"] = _task_rows(item)
    return state


def check_form(form_schema, form_ui):
    """The definition's problems as a ValidationError on `form_schema` (the field the editor shows)."""
    problems = check_form_definition(form_schema, form_ui)
    if problems:
        raise ValidationError({"form_schema": problems})


def _clean_rows(rows, model, fields, key, item):
    """Build and full_clean one unsaved row per dict; errors come back as "<n>. <field>: message"."""
    built, errors = [], []
    for index, row in enumerate(rows, start=1):
        obj = model(item=item, **{name: row[name] for name in fields if name in row})
        try:
            obj.full_clean(exclude=["item"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = model._meta.get_field(field).verbose_name if field != "__all__" else ""
                errors.extend(f"{index}. {label}: {message}" if label else f"{index}. {message}"
                              for message in messages)
        built.append(obj)
    if errors:
        raise ValidationError({key: errors})
    return built


def _check_stages(stages):
    orders = [s.order for s in stages]
    if len(orders) != len(set(orders)):
        raise ValidationError({"approval_stages": [_("Each approval stage needs its own order number.")]})
    for stage in stages:
        if stage.approver == ApproverKind.LINE_MANAGER:
            stage.group, stage.mode, stage.quorum = None, ApprovalMode.ANY, None
        elif stage.mode != ApprovalMode.QUORUM:
            stage.quorum = None


def _check_tasks(tasks, item):
    names = {f.name for f in form_fields(item.form_schema, item.form_ui)}
    errors = []
    for index, task in enumerate(tasks, start=1):
        if not isinstance(task.answer_fields, list) or not all(isinstance(n, str) for n in task.answer_fields):
            errors.append(_("%(n)s. The answers a task needs are a list of field names.") % {"n": index})
            continue
        unknown = [n for n in task.answer_fields if n not in names]
        if unknown:
            errors.append(_("%(n)s. %(task)s: these are not fields of the form: %(names)s.") % {
                "n": index, "task": task.name, "names": ", ".join(unknown)})
    if errors:
        raise ValidationError({"task_templates": errors})


def _replace_tasks(item, tasks, ids):
    """Templates keep their id when the row names one of the item's own (the tasks made from
    them stay linked); the rest are created, and templates no longer listed are deleted."""
    existing = set(item.task_templates.values_list("pk", flat=True))
    kept = set()
    for task, pk in zip(tasks, ids):
        task.item = item
        try:
            pk = int(pk) if pk not in (None, "") else None
        except (TypeError, ValueError):
            pk = None
        if pk in existing and pk not in kept:
            task.pk = pk
            task.save()
            kept.add(pk)
        else:
            task.pk = None
            task.save()
    item.task_templates.exclude(pk__in=[t.pk for t in tasks]).delete()


@transaction.atomic
def save_item(item: CatalogItem | None, *, actor, channel, fields: dict | None = None, organisations=None,
              groups=None, approval_stages=None, task_templates=None, expected_version=None) -> CatalogItem:
    """Create or update an item. `fields` are the item's own fields (form_schema and form_ui
    included, checked by catalog.formschema); `organisations` / `groups` replace the audience;
    `approval_stages` / `task_templates` (lists of dicts) replace the approval stages and the
    fulfilment plan. A stale `expected_version` raises StaleVersion; nothing is half-written."""
    created = item is None or item.pk is None
    item = CatalogItem() if created else core_services.lock_for_update(item, expected_version)
    before = {} if created else _item_state(item)
    for name, value in (fields or {}).items():
        if name in ITEM_FIELDS:
            setattr(item, name, {} if name in ("form_schema", "form_ui") and value is None else value)
    errors = {}
    try:
        item.full_clean(exclude=["version", "search_vector", "organisations", "groups"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if item.service_id and not selectors.business_services().filter(pk=item.service_id).exists():
        errors.setdefault("service", []).append(_("Choose a business service of the CMDB."))
    try:
        check_form(item.form_schema, item.form_ui)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    stages = tasks = None
    for key, rows, model, names in (("approval_stages", approval_stages, ItemApprovalStage, STAGE_FIELDS),
                                    ("task_templates", task_templates, TaskTemplate, TASK_FIELDS)):
        if rows is None:
            continue
        try:
            built = _clean_rows(rows, model, names, key, item if item.pk else None)
            if key == "approval_stages":
                _check_stages(built)
                stages = built
            else:
                _check_tasks(built, item)
                tasks = built
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    item.save()
    if organisations is not None:
        item.organisations.set(organisations)
    if groups is not None:
        item.groups.set(groups)
    if stages is not None:
        item.approval_stages.all().delete()
        for stage in stages:
            stage.item = item
        ItemApprovalStage.objects.bulk_create(stages)
    if tasks is not None:
        _replace_tasks(item, tasks, [row.get("id") for row in task_templates])
    after = _item_state(item)
    diff = _audit_saved(item, before=before, after=after, created=created, actor=actor, channel=channel,
                        event="catalog.item_changed")
    if created or set(diff) & set(CatalogItem.SEARCH_FIELDS):
        selectors.refresh_search([item.pk])
    return item


@transaction.atomic
def delete_category(category: Category, *, actor, channel):
    """Delete a category holding no items or sub-categories (else ProtectedError, nothing written)."""
    return core_services.delete_record(category, actor=actor, channel=channel, event="catalog.category_deleted",
                                       state=audit.snapshot(category, CATEGORY_FIELDS), data={"name": category.name})


@transaction.atomic
def delete_item(item: CatalogItem, *, actor, channel):
    """Delete an item never requested (else ProtectedError: deactivate it instead)."""
    return core_services.delete_record(item, actor=actor, channel=channel, event="catalog.item_deleted",
                                       state=_item_state(item), data={"name": item.name})
