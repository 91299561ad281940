"""The machinery every ticket type shares: numbering, the activity thread, attachments,
the audit trail and the version used for optimistic concurrency."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.choices import AuditAction, Channel, DeliveryState


class NumberSequence(models.Model):
    """The last number handed out per ticket prefix (INC, PRB, CHG, REL, REQ).

    Allocation increments this row inside the creating transaction, so the row lock
    serialises concurrent creators and a rolled-back creation gives its number back:
    numbers are unique and gapless.
    """

    prefix = models.CharField(max_length=8, primary_key=True)
    last_value = models.BigIntegerField(default=1000)

    class Meta:
        verbose_name = _("number sequence")

    def __str__(self):
        return f"{self.prefix}: {self.last_value}"

    FIRST_VALUE = 1001
    WIDTH = 7

    @classmethod
    def allocate(cls, prefix: str, count: int = 1) -> int:
        """Reserve `count` consecutive numbers and return the first. Call inside a transaction."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (prefix, last_value) VALUES (%s, %s) "
                f"ON CONFLICT (prefix) DO UPDATE SET last_value = {table}.last_value + %s "
                "RETURNING last_value",
                [prefix, cls.FIRST_VALUE - 1 + count, count],
            )
            last = cursor.fetchone()[0]
        return last - count + 1

    @classmethod
    def format(cls, prefix: str, value: int) -> str:
        return f"{prefix}{value:0{cls.WIDTH}d}"

    @classmethod
    def next_number_sql(cls, prefix: str):
        """allocate() and format() of one number inside the INSERT that uses it (core.rows.insert's
        `numbered`): (a WITH clause and its params, the number's expression and its params). The
        same upsert, so the same row lock until commit (no gap, no duplicate); one statement
        fewer per ticket created (issue 12)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        cte = (f'"next_number" AS (INSERT INTO {table} (prefix, last_value) VALUES (%s, %s) '
               f"ON CONFLICT (prefix) DO UPDATE SET last_value = {table}.last_value + 1 "
               "RETURNING last_value)")
        # format(): zero-padded to WIDTH digits, never cut (a longer number keeps its digits).
        number = ("(SELECT %s || lpad(last_value::text, "
                  f"greatest({cls.WIDTH}, length(last_value::text)), '0') FROM \"next_number\")")
        return (cte, [prefix, cls.FIRST_VALUE]), (number, [prefix])


class GenericRecordQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AuditEntryQuerySet(GenericRecordQuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One field change (or event) on any record: who, when, old and new raw value, channel.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses
    them too, so the trail is evidence an ISO/IEC 20000 auditor can rely on.
    """

    # No index of its own: audit_record_idx leads with this column (issue 12: one index fewer to
    # write per create).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    field = models.CharField(max_length=100, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # Free-form facts that explain the change: a reason, the authorising change, SLA details.
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            # The record's timeline: all entries of one object in time order.
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_record_idx"),
        ]

    def __str__(self):
        return f"{self.object_repr} {self.action} {self.field}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")


class Comment(models.Model):
    """An entry in a record's activity thread: a public comment or an internal work note.

    Work notes (`internal`) are for the desk only: the portal and end users' API never show them.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    internal = models.BooleanField(_("work note"), default=False)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GenericRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comment_record_idx")]

    def __str__(self):
        return self.body[:60]


def attachment_path(instance, filename):
    # A random directory keeps two uploads of "screenshot.png" apart and unguessable.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Attachment(models.Model):
    """A file attached to a record, stored through Django's storage API."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    mime_type = models.CharField(max_length=120, blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = GenericRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self):
        return self.filename


def attach_rows(instances, names, columns=None, read=None):
    """Load the rows the foreign keys `names` of `instances` point to, one query per related
    model (a caller and an assignee are both users: one query, where prefetch_related runs one
    per field), without ordering (nothing is listed in their order). A relation already in
    memory is kept. `columns` ({related model: field names}) loads only those columns of that
    model's rows (the API shows a user's id and names, not their settings). `read(related
    model, ids)` ({pk: row}) reads them another way (core.selects.attach_by_id)."""
    if not instances:
        return
    meta = type(instances[0])._meta
    by_model = {}
    for name in names:
        field = meta.get_field(name)
        by_model.setdefault(field.related_model, []).append(field)
    for related, fields in by_model.items():
        wanted = {getattr(obj, f.attname) for obj in instances for f in fields if not f.is_cached(obj)}
        wanted.discard(None)
        rows = {}
        if wanted and read is not None:
            rows = read(related, wanted)
        elif wanted:
            rows = related._base_manager.order_by()
            if columns and related in columns:
                rows = rows.only(*columns[related])
            rows = rows.in_bulk(wanted)
        for obj in instances:
            for f in fields:
                if not f.is_cached(obj):
                    f.set_cached_value(obj, rows.get(getattr(obj, f.attname)))


class TicketQuerySet(models.QuerySet):
    _attached_rows = ()
    _attached_columns = None

    def with_rows(self, *names, columns=None):
        """Load these foreign keys' rows with the results, one query per related model
        (attach_rows): issue 12, the API and desk lists read seven relations of four models.
        `columns` ({related model: field names}) narrows what is read of those rows."""
        clone = self._chain()
        clone._attached_rows = (*self._attached_rows, *names)
        if columns:
            clone._attached_columns = {**(self._attached_columns or {}), **columns}
        return clone

    def only_rows(self, *names, columns=None):
        """Like with_rows, but these relations instead of those asked for so far."""
        clone = self._chain()
        clone._attached_rows = ()
        clone._attached_columns = None
        return clone.with_rows(*names, columns=columns)

    def _clone(self):
        clone = super()._clone()
        clone._attached_rows = self._attached_rows
        clone._attached_columns = self._attached_columns
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._attached_rows and self._iterable_class is models.query.ModelIterable:
            attach_rows(self._result_cache, self._attached_rows, self._attached_columns)

    def visible_to(self, user):
        """The start of every ticket list, detail, export, search and API queryset.

        Desk staff see every ticket; an end user sees only the tickets they requested
        (the model's `REQUESTER_FIELD`); ticket types without one are desk-only.
        """
        if roles.is_agent(user):
            return self
        requester_field = getattr(self.model, "REQUESTER_FIELD", None)
        if not getattr(user, "is_authenticated", False) or requester_field is None:
            return self.none()
        return self.filter(Q(**{requester_field: user}))

    def sees(self, user, ticket):
        """Whether visible_to(user) holds `ticket`, a row already read (the API's detail reads
        its row by a statement of its own, incidents.api.rows): the same rule in Python;
        incidents/tests/test_security.py holds both to the same answers."""
        if roles.is_agent(user):
            return True
        requester_field = getattr(self.model, "REQUESTER_FIELD", None)
        if not getattr(user, "is_authenticated", False) or requester_field is None:
            return False
        return getattr(ticket, self.model._meta.get_field(requester_field).attname) == user.pk


class Ticket(models.Model):
    """Abstract base of every ticket type (incident, problem, change, release, request).

    Subclasses set NUMBER_PREFIX and declare `state` with their own choices; services in
    core.services allocate the number, write the audit trail and check `version`.
    """

    NUMBER_PREFIX = ""
    REQUESTER_FIELD = None
    # Fields whose changes are not worth an audit row of their own.
    AUDIT_EXCLUDE = frozenset({"updated_at", "version", "search_vector",
                               "sla_breached", "sla_due_at", "sla_calendar"})

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignment_group = models.ForeignKey(
        "accounts.Team", verbose_name=_("assignment group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="%(app_label)s_%(class)s_set",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_%(app_label)s_%(class)s_set",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="created_%(app_label)s_%(class)s_set",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The ticket's SLA standing, kept by the SLA engine whenever one of its clocks changes
    # (sla.rowstate): a clock recorded a breach, the earliest due instant of the clocks still
    # counting, and their business calendar (its id; 0 for the 24×7 default, -1 for several). The
    # desk's "Breached" and "Breaching soon" tabs read them from the open-queue index instead of
    # probing the clocks twice per open ticket (issue 12, twelfth round).
    sla_breached = models.BooleanField(_("SLA breached"), default=False, db_default=False, editable=False)
    sla_due_at = models.DateTimeField(_("next SLA due"), null=True, blank=True, editable=False)
    sla_calendar = models.IntegerField(_("calendar of the next SLA due"), null=True, blank=True, editable=False)

    comments = GenericRelation(Comment)
    attachments = GenericRelation(Attachment)

    objects = TicketQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.assigned_to_id and self.assignment_group_id:
            if not self.assignment_group.members.filter(pk=self.assigned_to_id).exists():
                raise ValidationError(
                    {"assigned_to": _("%(person)s is not a member of %(group)s.")
                     % {"person": self.assigned_to, "group": self.assignment_group}}
                )


class OutboxEvent(models.Model):
    """A domain event (incident.created, sla.breached, ...) written in the transaction that caused it.

    Written by core.events.publish through core.outbox; after-commit handlers are fed from its
    Delivery rows by one Celery task, so a broker outage at commit time loses nothing.
    """

    name = models.CharField(max_length=100)
    # No index of its own: outbox_event_record_idx leads with this column (issue 12: one index
    # fewer to write per create).
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    channel = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # When it happened (an SLA breach's true instant may lie before the sweep that recorded it).
    occurred_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        indexes = [models.Index(fields=["content_type", "object_id"], name="outbox_event_record_idx")]

    def __str__(self):
        return f"{self.name} {self.object_repr}".strip()


class Delivery(models.Model):
    """One event handed to one after-commit handler; (event, handler) is its idempotency key."""

    # No index of its own: outbox_delivery_once (event, handler) leads with this column (issue 12:
    # one index fewer to write per create).
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries",
                              db_index=False)
    handler = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="outbox_delivery_once")]
        indexes = [
            # The dispatcher's claim: due pending rows only, so delivered history costs nothing.
            models.Index(fields=["next_attempt_at"], name="outbox_delivery_due_idx",
                         condition=Q(state="pending")),
            models.Index(fields=["state", "handler"], name="outbox_delivery_state_idx"),
        ]

    def __str__(self):
        return f"{self.handler} #{self.pk}"

    @property
    def idempotency_key(self):
        return f"outbox-{self.pk}"
