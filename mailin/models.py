"""Records of mail in: the mailboxes administrators configure and every message received."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailin.choices import MessageState, OpensKind, ProcessedAction, UnknownSenders
from voc.choices import VocKind


class Mailbox(models.Model):
    """An address the service desk receives mail at: polled over IMAP (when active) or piped in by
    an MTA through `ingest_email --mailbox NAME`. Says what a new mail opens and for whom."""

    name = models.SlugField(_("name"), max_length=50, unique=True,
                            help_text=_("Used by ingest_email --mailbox NAME."))
    address = models.EmailField(_("address"), unique=True)
    imap_host = models.CharField(_("IMAP host"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_user = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password = models.CharField(_("IMAP password"), max_length=200, blank=True)
    imap_ssl = models.BooleanField(_("IMAP over TLS"), default=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    processed_action = models.CharField(_("after processing"), max_length=10, choices=ProcessedAction.choices,
                                        default=ProcessedAction.MOVE)
    processed_folder = models.CharField(_("processed folder"), max_length=200, default="Processed", blank=True,
                                        help_text=_("Where processed mail is moved (created if missing)."))
    opens = models.CharField(_("a new mail opens"), max_length=10, choices=OpensKind.choices,
                             default=OpensKind.INCIDENT)
    # A mailbox such as voc@ or 민원@ records what customers write as VOC of this kind.
    voc_kind = models.CharField(_("kind of VOC a new mail records"), max_length=12, choices=VocKind.choices,
                                default=VocKind.COMPLAINT, blank=True,
                                help_text=_("Only for a mailbox that opens VOC records; a complaint if left empty."))
    catalog_item = models.ForeignKey("catalog.CatalogItem", verbose_name=_("catalog item"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    default_group = models.ForeignKey("accounts.Team", verbose_name=_("default assignment group"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    unknown_senders = models.CharField(_("unknown senders"), max_length=10, choices=UnknownSenders.choices,
                                       default=UnknownSenders.CREATE)
    active = models.BooleanField(_("poll over IMAP"), default=False,
                                 help_text=_("Piped mail (ingest_email) is accepted either way."))
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last polling error"), blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self):
        return f"{self.name} <{self.address}>"

    def get_absolute_url(self):
        return reverse("mailin:mailbox_edit", args=[self.pk])

    def clean(self):
        super().clean()
        if self.opens == OpensKind.REQUEST and self.catalog_item_id is None:
            raise ValidationError({"catalog_item": _("Choose the catalog item a new mail requests.")})
        if self.active and not (self.imap_host and self.imap_user):
            raise ValidationError({"imap_host": _("Polling needs an IMAP host and user.")})
        if self.processed_action == ProcessedAction.MOVE and not self.processed_folder:
            raise ValidationError({"processed_folder": _("Name the folder processed mail is moved to.")})


def raw_path(instance, filename):
    return f"mailin/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundMessage(models.Model):
    """One message received (by IMAP or piped in), kept raw for audit whatever became of it.

    The Message-ID is unique over all mailboxes: the same mail fetched twice, or delivered to two of
    our addresses, is recorded once. A message without one gets a digest of its bytes instead."""

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("mailbox"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="messages")
    raw = models.FileField(_("raw message"), upload_to=raw_path, max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices)
    reason = models.TextField(_("reason"), blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    ticket = GenericForeignKey("content_type", "object_id")
    ticket_number = models.CharField(_("ticket"), max_length=20, blank=True)
    created_ticket = models.BooleanField(_("opened a ticket"), default=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("received message")
        verbose_name_plural = _("received messages")
        indexes = [
            # The per-sender rate limit counts one sender's recent messages.
            models.Index(fields=["sender", "received_at"], name="mailin_sender_recent_idx"),
            # The log page: newest first, filtered by state.
            models.Index(fields=["state", "-received_at"], name="mailin_state_recent_idx"),
        ]

    def __str__(self):
        return f"{self.sender}: {self.subject}"[:120]


