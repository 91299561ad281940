"""The event names a subscription may choose: what the outbox carries for every ticket type and
for the other records, less the private ones (rules.PRIVATE_TYPES). Built from the ticket
declarations, so a new ticket type's events appear without a change here."""

from django.utils.translation import gettext_lazy as _

from core.tickets import ticket_models, type_name

# What core.services publishes for every ticket type (created, updated, commented and the state
# moves named by core.services.transition_verb).
TICKET_VERBS = ("created", "updated", "commented", "transitioned", "resolved", "reopened", "closed", "cancelled")

# What the processes publish besides (grep `events.publish` when adding one).
OTHER_EVENTS = (
    "incident.assigned",
    "change.approved", "change.rejected",
    "request.approval_requested", "request.item_rejected", "task.opened",
    "sla.warning", "sla.breached", "sla.escalated",
    "cmdb.ci_created", "cmdb.ci_updated", "cmdb.ci_deleted",
    "article.created", "article.updated", "article.published", "article.retired", "article.review-due",
    "catalog.item_changed", "catalog.item_deleted", "catalog.category_changed", "catalog.category_deleted",
    "changes.freeze_created", "changes.freeze_changed", "changes.freeze_deleted",
    # Integrations and improvement (their contracts: notes/COMMON.md).
    "survey.responded", "survey.low_score",
    "voc.created", "voc.escalated", "voc.responded", "voc.closed",
    "improvement.created", "improvement.closed",
    # Supplier management (issue 17).
    "supplier.changed", "contract.changed", "contract.expiring", "dispute.changed",
)

WILDCARD_HELP = _("Use * for every event, incident.* for every event of a type, *.resolved for one verb of "
                  "every type.")


def event_names() -> list[str]:
    names = {f"{type_name(model)}.{verb}" for model in ticket_models() for verb in TICKET_VERBS}
    names.update(OTHER_EVENTS)
    return sorted(names)


def choices() -> list[tuple[str, str]]:
    """The names and the wildcards (per type, per verb), for the desk form."""
    names = event_names()
    types = sorted({n.partition(".")[0] for n in names})
    verbs = sorted({n.partition(".")[2] for n in names})
    return ([("*", "*")] + [(f"{t}.*", f"{t}.*") for t in types] + [(f"*.{v}", f"*.{v}") for v in verbs]
            + [(n, n) for n in names])
