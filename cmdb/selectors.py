"""Reading for the CI page: tickets that name a CI and its history.

The CMDB sits below the ticket apps: it finds them through the ticket contract
(core.tickets.ticket_models), uses every foreign key or many-to-many field that points at
ConfigurationItem, and asks each type's lifecycle which states are open.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from core.choices import AuditAction
from core.models import AuditEntry
from core.selectors import timeline
from core.tickets import lifecycle_of, ticket_models
from cmdb.choices import RelationshipType
from cmdb.models import ConfigurationItem


def _ci_fields(model):
    return [
        f.name for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many) and not f.auto_created and f.related_model is ConfigurationItem
    ]


def tickets_on(ci, user, limit=5):
    """[{label, count, items}] for each ticket type that can name a CI: open tickets on this CI."""
    sections = []
    for model in ticket_models():
        fields = _ci_fields(model)
        if not fields:
            continue
        condition = Q()
        for name in fields:
            condition |= Q(**{name: ci})
        open_states = sorted(lifecycle_of(model).open)
        queryset = (model._default_manager.visible_to(user).filter(condition).filter(state__in=open_states)
                    .distinct())
        count = queryset.count()
        items = list(queryset.order_by("-pk")[:limit])
        label = str(model._meta.verbose_name_plural)
        sections.append({"app": model._meta.app_label, "label": label[:1].upper() + label[1:], "count": count,
                         "items": items})
    return sections


def _deleted_names(ids):
    """Names of deleted CIs, from their deletion audit rows (a neighbour's history still names them)."""
    if not ids:
        return {}
    rows = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ConfigurationItem),
                                     object_id__in=ids, action=AuditAction.DELETED).values_list("object_id", "old_value")
    return {pk: (old or {}).get("name", f"#{pk}") for pk, old in rows}


def ci_timeline(ci):
    """The CI's history; relationship rows are rendered as "depends on X" rather than raw ids."""
    items = timeline(ci, include_internal=True)
    entries = [item.obj for item in items if getattr(item.obj, "field", None) == "relationship"]
    ids = set()
    for entry in entries:
        value = entry.new_value or entry.old_value or {}
        ids.update(v for v in (value.get("source"), value.get("target")) if v)
    names = dict(ConfigurationItem.objects.filter(pk__in=ids).values_list("pk", "name"))
    names.update(_deleted_names(ids - set(names)))
    for item in items:
        entry = item.obj
        if getattr(entry, "field", None) != "relationship":
            continue
        value = entry.new_value or entry.old_value or {}
        rel_type = value.get("type", "")
        label = str(RelationshipType(rel_type).label) if rel_type in RelationshipType.values else rel_type
        text = f"{names.get(value.get('source'), '#%s' % value.get('source'))} {label} " \
               f"{names.get(value.get('target'), '#%s' % value.get('target'))}"
        if entry.action == AuditAction.LINKED:
            item.changes = [(_("relationship"), "", text)]
        else:
            item.changes = [(_("relationship removed"), text, "—")]
    for item in items:
        entry = item.obj
        change = getattr(entry, "context", {}).get("change") if hasattr(entry, "context") else None
        if change and not item.body:
            item.body = _("Authorised by change %(change)s") % {"change": change}
    return items
