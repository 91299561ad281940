from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    """What became of one received message."""

    PROCESSED = "processed", _("Processed")  # opened a ticket or commented on one
    IGNORED = "ignored", _("Ignored")  # auto-reply, bounce, bulk, duplicate, rate limit: recorded, not answered
    REFUSED = "refused", _("Refused")  # unknown sender or a request the mail cannot fill in: told politely
    FAILED = "failed", _("Failed")  # could not be read or recorded as a ticket: kept for an administrator


STATE_BADGES = {
    MessageState.PROCESSED: "success",
    MessageState.IGNORED: "secondary",
    MessageState.REFUSED: "warning",
    MessageState.FAILED: "danger",
}


class ProcessedAction(models.TextChoices):
    """What the poller does with a message on the IMAP server once it is recorded."""

    MOVE = "move", _("Move to a folder")
    FLAG = "flag", _("Flag as seen")


class OpensKind(models.TextChoices):
    """What a new mail (not a reply) to a mailbox opens."""

    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Request for a catalog item")
    VOC = "voc", _("Voice of the customer record (VOC)")


class UnknownSenders(models.TextChoices):
    CREATE = "create", _("Create an end user")
    REFUSE = "refuse", _("Refuse with a polite reply")
