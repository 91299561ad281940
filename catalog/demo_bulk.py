"""Benchmark catalog: copies of the realistic demo items per site, in bulk (seed_demo --catalog_items).

1,000 items are a few bulk INSERTs: the items, their approval stages, task templates and audience
rows, then one UPDATE for the search documents.
"""

from django.db import transaction

from catalog import demo_items
from catalog.models import CatalogItem, ItemApprovalStage, TaskTemplate

BATCH = 2000


def copy_catalog(ctx, count, *, refresh_search):
    names = [spec["name"][0] for spec in demo_items.ITEMS]
    bases = list(CatalogItem.objects.filter(name__in=names).order_by("pk")
                 .prefetch_related("approval_stages", "task_templates", "organisations", "groups"))
    if not bases:
        ctx.log("  catalog: no demo items to copy")
        return
    start = CatalogItem.objects.count() - len(bases)
    sites = demo_items.VARIANTS
    with transaction.atomic():
        rows, sources = [], []
        for index in range(start, start + count):
            base = bases[index % len(bases)]
            round_, site = divmod(index // len(bases), len(sites))
            suffix = f" {round_ + 1}" if round_ else ""
            en, ko = sites[site]
            rows.append(CatalogItem(
                category_id=base.category_id, name=f"{base.name} ({en}){suffix}"[:150],
                name_ko=f"{base.name_ko} ({ko}){suffix}"[:150], summary=base.summary, summary_ko=base.summary_ko,
                description=base.description, description_ko=base.description_ko, icon=base.icon,
                service_id=base.service_id, available_to_everyone=base.available_to_everyone,
                delivery_time=base.delivery_time, sla_from_delivery_time=base.sla_from_delivery_time,
                max_quantity=base.max_quantity, form_schema=base.form_schema, form_ui=base.form_ui))
            sources.append(base)
        items = CatalogItem.objects.bulk_create(rows, batch_size=BATCH)
        stages, templates, orgs, groups = [], [], [], []
        for item, base in zip(items, sources):
            stages += [ItemApprovalStage(item=item, order=s.order, name=s.name, approver=s.approver,
                                         group_id=s.group_id, mode=s.mode, quorum=s.quorum)
                       for s in base.approval_stages.all()]
            templates += [TaskTemplate(item=item, stage=t.stage, order=t.order, name=t.name, name_ko=t.name_ko,
                                       instructions=t.instructions, assignment_group_id=t.assignment_group_id,
                                       answer_fields=t.answer_fields, change_template_id=t.change_template_id)
                          for t in base.task_templates.all()]
            orgs += [CatalogItem.organisations.through(catalogitem_id=item.pk, organisation_id=o.pk)
                     for o in base.organisations.all()]
            groups += [CatalogItem.groups.through(catalogitem_id=item.pk, team_id=g.pk) for g in base.groups.all()]
        ItemApprovalStage.objects.bulk_create(stages, batch_size=BATCH)
        TaskTemplate.objects.bulk_create(templates, batch_size=BATCH)
        CatalogItem.organisations.through.objects.bulk_create(orgs, batch_size=BATCH)
        CatalogItem.groups.through.objects.bulk_create(groups, batch_size=BATCH)
        refresh_search([item.pk for item in items])
    ctx.log(f"  catalog: {len(items)} benchmark copies")
