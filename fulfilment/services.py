"""The only writers of requests, requested items, approvals and tasks. Each takes the actor,
runs in one transaction, writes the audit trail and publishes its events to the outbox."""

from dataclasses import dataclass, field


@dataclass
class OrderLine:
    """One item of an order: the catalog item (object or id), the answers, the quantity, and the
    uploaded files of its attachment fields ({field name: UploadedFile})."""

    catalog_item: object
    answers: dict = field(default_factory=dict)
    quantity: int = 1
    files: dict = field(default_factory=dict)


def submit_request(actor, *, lines, requested_for=None, description="", channel="portal"):
    """Validate every line (404 for an item the requester may not order), create the request,
    its items, their approval plans and (when nothing needs approval) the first stage's tasks.
    Raises DomainError naming the field, or catalog.formschema.AnswersInvalid. Returns the Request."""
    raise NotImplementedError  # issue 13, fulfilment engine


def decide(actor, request, *, decision, comment="", channel="web"):
    """The actor's approve/reject on every item of `request` whose current stage they may decide."""
    raise NotImplementedError  # issue 13, fulfilment engine


def update_task(actor, task, *, state=None, notes=None, assigned_to=None, version=None, channel="web"):
    """Move a task (open → in progress → done/failed), add notes, assign it; rolls the item and the
    request up when a stage or the last task finishes."""
    raise NotImplementedError  # issue 13, fulfilment engine


def cancel_request(actor, request, *, reason="", version=None, channel="web"):
    raise NotImplementedError  # issue 13, fulfilment engine


def close_request(actor, request, *, version=None, channel="web"):
    raise NotImplementedError  # issue 13, fulfilment engine
