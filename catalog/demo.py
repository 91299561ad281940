"""Demo catalog: categories, items with forms, approvals and fulfilment plans (seed_demo).

The catalog itself is data (catalog.demo_items): 31 items in 6 categories (3 sub-categories),
every form field type, conditional fields, each approval shape (none, line manager, a group deciding
by any / all / quorum, two stages in order) and one- to three-stage plans with parallel tasks, one
step raising a standard change. Items are bilingual in the model; the few one-language texts
(approval stage names, task instructions) go through core.demo.say().

`--catalog_items N` above the realistic catalog adds copies of it per site ("노트북 신청 (부산지점)")
in bulk, for the benchmark (1,000 items). Idempotent: everything is looked up by its English name
and only missing rows are added; an item already there is left as it is (an edit survives).
The realistic catalog goes through catalog.services (validated, audited); the copies are bulk.
"""

from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import Organisation, User
from catalog import demo_items, selectors
from catalog import services as catalog_services
from catalog.models import ApproverKind, CatalogItem, Category
from changes.models import ChangeTemplate
from cmdb.models import ConfigurationItem
from core import demo
from core.choices import ApprovalMode, Channel
from core.demo import say

demo.korean({
    **{stage["name"][0]: stage["name"][1] for item in demo_items.ITEMS for stage in item["approvals"]},
    **{step["instructions"][0]: step["instructions"][1] for item in demo_items.ITEMS for step in item["plan"]},
})

TEXT_LIMIT, TEXTAREA_LIMIT = 200, 2000


def form_definition(fields):
    """(form_schema, form_ui) in catalog.formschema's shape from demo_items field specs."""
    properties, required, ui = {}, [], {}
    for spec in fields:
        name, kind = spec["name"], spec["kind"]
        if kind in ("text", "textarea"):
            schema = {"type": "string", "maxLength": TEXTAREA_LIMIT if kind == "textarea" else TEXT_LIMIT,
                      "x-field": "text"}
        elif kind == "number":
            schema = {"type": "integer", "x-field": "number"}
            if spec["minimum"] is not None:
                schema["minimum"] = spec["minimum"]
            if spec["maximum"] is not None:
                schema["maximum"] = spec["maximum"]
        elif kind == "date":
            schema = {"type": "string", "format": "date", "x-field": "date"}
        elif kind == "choice":
            schema = {"type": "string", "enum": [value for value, _en, _ko in spec["choices"]], "x-field": "choice"}
        elif kind == "multichoice":
            schema = {"type": "array", "items": {"type": "string", "enum": [v for v, _en, _ko in spec["choices"]]},
                      "uniqueItems": True, "x-field": "multichoice"}
        elif kind in ("user", "ci"):
            schema = {"type": "integer", "x-field": kind}
        elif kind == "attachment":
            schema = {"type": "string", "x-field": "attachment"}
        elif kind == "yesno":
            schema = {"type": "boolean", "x-field": "yesno"}
        else:
            raise ValueError(f"unknown demo field kind {kind!r}")
        properties[name] = schema
        if spec["required"]:
            required.append(name)
        hints = {"label": spec["label"][0], "label_ko": spec["label"][1]}
        if spec["help"]:
            hints.update(help=spec["help"][0], help_ko=spec["help"][1])
        if kind == "textarea":
            hints["widget"] = "textarea"
        if spec["choices"]:
            hints["choices"] = {value: {"label": en, "label_ko": ko} for value, en, ko in spec["choices"]}
        if spec["show_if"]:
            hints["show_if"] = dict(spec["show_if"])
        ui[name] = hints
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return schema, {"order": [spec["name"] for spec in fields], "fields": ui}


def sample_answers(spec, rng, *, users, cis, today, fixed=None):
    """Answers one person might give to the item `spec` (a demo_items entry): every required shown
    field, most optional ones, conditional fields only when their condition holds. `users` and `cis`
    are ids the requester may see; `fixed` answers are taken as given (and decide the conditions);
    attachment answers are left to the caller (files)."""
    from datetime import timedelta

    fixed = fixed or {}
    answers = {}
    for field in spec["fields"]:
        condition = field["show_if"]
        if condition:
            value = answers.get(condition["field"])
            shown = value in condition["in"] if "in" in condition else value == condition.get("equals")
            if not shown:
                continue
        kind = field["kind"]
        if field["name"] in fixed:
            answers[field["name"]] = fixed[field["name"]]
            continue
        if kind == "attachment" or (not field["required"] and rng.random() < 0.3):
            continue
        if kind in ("text", "textarea"):
            answers[field["name"]] = rng.choice(field["samples"] or ["-"])
        elif kind == "number":
            low = field["minimum"] if field["minimum"] is not None else 1
            high = min(field["maximum"] if field["maximum"] is not None else low + 10, low + 20)
            answers[field["name"]] = rng.randint(low, high)
        elif kind == "date":
            answers[field["name"]] = (today + timedelta(days=rng.randint(2, 30))).isoformat()
        elif kind == "choice":
            answers[field["name"]] = rng.choice(field["choices"])[0]
        elif kind == "multichoice":
            values = [value for value, _en, _ko in field["choices"]]
            answers[field["name"]] = rng.sample(values, rng.randint(1, min(2, len(values))))
        elif kind == "user":
            if users:
                answers[field["name"]] = rng.choice(users)
        elif kind == "ci":
            if cis:
                answers[field["name"]] = rng.choice(cis)
        elif kind == "yesno":
            answers[field["name"]] = rng.random() < 0.5
    return answers


def specs_by_name():
    """{English item name: its demo_items spec}, for the request demo."""
    return {spec["name"][0]: spec for spec in demo_items.ITEMS}


def _categories(actor):
    result = {}
    existing = {(c.name, c.parent_id): c for c in Category.objects.all()}
    for order, (key, en, ko, icon, (description, description_ko), parent) in enumerate(demo_items.CATEGORIES):
        parent_row = result[parent] if parent else None
        category = existing.get((en, parent_row.pk if parent_row else None))
        if category is None:
            category = catalog_services.save_category(None, actor=actor, channel=Channel.SYSTEM, fields={
                "name": en, "name_ko": ko, "icon": icon, "description": description, "description_ko": description_ko,
                "order": (order + 1) * 10, "parent": parent_row})
        result[key] = category
    return result


def _services():
    """{English service name: business service CI} for the CMDB demo's services that exist."""
    from cmdb.demo import SERVICES

    by_name = {}
    live = {ci.name: ci for ci in ConfigurationItem.objects.business_services().filter(
        name__in=[say(name) for name in SERVICES] + list(SERVICES))}
    for name in SERVICES:
        ci = live.get(say(name)) or live.get(name)
        if ci is not None:
            by_name[name] = ci
    return by_name


def _change_templates():
    from changes.demo import TEMPLATES

    names = {template[0]: say(template[0]) for template in TEMPLATES}
    rows = {t.name: t for t in ChangeTemplate.objects.filter(name__in=list(names.values()) + list(names))}
    return {english: rows.get(local) or rows.get(english) for english, local in names.items()}


def _service(spec, services):
    wanted = spec.get("service") or ()
    for name in (wanted,) if isinstance(wanted, str) else wanted:
        if name in services:
            return services[name]
    return None


def _create_item(spec, category, *, actor, teams, services, change_templates, organisations):
    """One item through catalog.services (validated, audited, its search document written)."""
    schema, ui = form_definition(spec["fields"])
    audience = spec.get("audience") or {}
    stages = []
    for order, stage in enumerate(spec["approvals"], start=1):
        group = teams.get(stage.get("team")) if stage["approver"] == "group" else None
        stages.append({"order": order, "name": say(stage["name"][0]),
                       "approver": ApproverKind.GROUP if group else ApproverKind.LINE_MANAGER, "group": group,
                       "mode": stage.get("mode") or ApprovalMode.ANY, "quorum": stage.get("quorum")})
    steps = [{"stage": step["stage"], "order": order, "name": step["name"][0], "name_ko": step["name"][1],
              "instructions": say(step["instructions"][0]), "assignment_group": teams[step["team"]],
              "answer_fields": step["answers"], "change_template": change_templates.get(step["change"])}
             for order, step in enumerate(spec["plan"], start=1)]
    return catalog_services.save_item(
        None, actor=actor, channel=Channel.SYSTEM, fields={
            "category": category, "name": spec["name"][0], "name_ko": spec["name"][1], "summary": spec["summary"][0],
            "summary_ko": spec["summary"][1], "description": spec["description"][0],
            "description_ko": spec["description"][1], "icon": spec["icon"], "service": _service(spec, services),
            "available_to_everyone": not audience, "delivery_time": spec["delivery"],
            "sla_from_delivery_time": spec.get("sla", False), "max_quantity": spec["max_quantity"],
            "form_schema": schema, "form_ui": ui},
        organisations=[organisations[code] for code in audience.get("organisations", ()) if code in organisations],
        groups=[teams[name] for name in audience.get("groups", ()) if name in teams],
        approval_stages=stages, task_templates=steps)


def refresh_search(ids=None):
    """The items' search documents (catalog.selectors: both languages), one UPDATE."""
    selectors.refresh_search(ids)


def seed(ctx):
    """The realistic catalog, then benchmark copies up to ctx.counts["catalog_items"]."""
    teams = accounts_demo.catalog_teams(ctx)
    organisations = {o.code: o for o in Organisation.objects.all()}
    actor = ctx.shared.get("admin") or User.objects.filter(username="admin").first()
    categories = _categories(actor)
    services = _services()
    change_templates = _change_templates()
    existing = {(name, category_id): pk for pk, name, category_id
                in CatalogItem.objects.values_list("pk", "name", "category_id")}
    created = []
    with transaction.atomic():
        for spec in demo_items.ITEMS:
            category = categories[spec["category"]]
            if (spec["name"][0], category.pk) in existing:
                continue
            created.append(_create_item(spec, category, actor=actor, teams=teams, services=services,
                                        change_templates=change_templates, organisations=organisations).pk)
    wanted = ctx.counts.get("catalog_items") or 0
    missing = wanted - CatalogItem.objects.count()
    if missing > 0:
        from catalog.demo_bulk import copy_catalog

        copy_catalog(ctx, missing, refresh_search=refresh_search)
    names = {spec["name"][0] for spec in demo_items.ITEMS}
    ctx.shared["catalog_items"] = {item.name: item for item in CatalogItem.objects.filter(
        name__in=names, category__in=categories.values()).select_related("category")}
    ctx.shared["catalog_categories"] = categories
    ctx.log(f"  catalog: {Category.objects.count()} categories, {CatalogItem.objects.count()} items "
            f"({len(created)} new)")
