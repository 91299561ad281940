"""Configuration management: the configuration items (CIs) of the estate, their classes and
the typed relationships between them that impact analysis walks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from cmdb import schema as ci_schema
from cmdb.schema import translated
from cmdb.choices import BADGE_COLOURS
from cmdb.choices import (
    BUSINESS_SERVICE_SLUG,
    CIStatus,
    Criticality,
    Environment,
    RelationshipType,
)


class CIClass(models.Model):
    """A kind of configuration item (server, database, business service ...).

    `attribute_schema` is a JSON Schema for the class's `attributes`; administrators add
    classes and edit schemas in the Django admin without code.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    attribute_schema = models.JSONField(
        _("attribute schema"), default=dict, blank=True,
        help_text=_("JSON Schema that the attributes of this class's CIs must satisfy."),
    )
    icon = models.CharField(_("icon"), max_length=50, blank=True, help_text=_("Bootstrap icon name, optional."))
    colour = models.CharField(_("colour"), max_length=7, blank=True, help_text=_("Hex colour such as #0d6efd."))
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('Name and description in other languages, e.g. {"ko": {"name": "…", "description": "…"}}. '
                    'Attribute labels are translated in the schema: "x-titles": {"ko": "…"} beside "title".'),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("CI class")
        verbose_name_plural = _("CI classes")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The class's name in the active language, else its own name (pages and forms show this;
        the API and imports keep `name`, the one people type)."""
        return str(translated(self.translations, "name") or self.name)

    @property
    def display_description(self):
        return str(translated(self.translations, "description") or self.description)

    def clean(self):
        super().clean()
        if not isinstance(self.translations, dict) or any(
            not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values())
            for values in self.translations.values()
        ):
            raise ValidationError({"translations": _('Write {"<language>": {"name": "…", "description": "…"}}.')})
        problems = ci_schema.check_schema(self.attribute_schema)
        if problems:
            raise ValidationError({"attribute_schema": problems})
        if self.attribute_schema and self.attribute_schema.get("type", "object") != "object":
            raise ValidationError({"attribute_schema": _("The schema must describe a JSON object.")})


class ConfigurationItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The start of every CI list, detail, export and API queryset.

        Desk staff see the whole CMDB; end users see only live business services (so the
        portal can offer "which service is affected?"); anonymous users see nothing.
        """
        if roles.is_agent(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.business_services().exclude(status=CIStatus.RETIRED)

    def business_services(self):
        return self.filter(ci_class__slug=BUSINESS_SERVICE_SLUG)

    def active(self):
        return self.exclude(status=CIStatus.RETIRED)


class ConfigurationItem(models.Model):
    """A configuration item: anything managed so that IT services can be delivered
    (a host, a database, an application, a business service ...)."""

    badge_colours = BADGE_COLOURS

    # Fields whose changes are not worth an audit row of their own.
    AUDIT_EXCLUDE = frozenset({"updated_at", "version", "created_at"})
    # What create_ci/update_ci accept (core.services.check_editable); everything else is refused.
    EDITABLE_FIELDS = (
        "name", "ci_class", "status", "environment", "criticality", "owner_group", "description",
        "location", "vendor", "tags", "attributes", "external_id",
    )

    name = models.CharField(_("name"), max_length=200)
    ci_class = models.ForeignKey(
        CIClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="cis"
    )
    status = models.CharField(_("status"), max_length=20, choices=CIStatus.choices, default=CIStatus.IN_USE)
    environment = models.CharField(
        _("environment"), max_length=20, choices=Environment.choices, default=Environment.PRODUCTION
    )
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.MEDIUM
    )
    owner_group = models.ForeignKey(
        "accounts.Team", verbose_name=_("owner group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="owned_cis",
    )
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    vendor = models.CharField(_("supplier / vendor"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    external_id = models.CharField(
        _("external id"), max_length=200, unique=True, null=True, blank=True,
        help_text=_("Identifier in a discovery tool or another inventory; used by imports."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = ConfigurationItemQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")
        constraints = [
            # The natural key imports upsert on.
            models.UniqueConstraint(fields=["ci_class", "name", "environment"], name="cmdb_ci_natural_key"),
            models.CheckConstraint(condition=Q(criticality__gte=1, criticality__lte=4), name="cmdb_ci_criticality_1_4"),
        ]
        indexes = [
            # List page filters and its default ordering.
            models.Index(fields=["name", "id"], name="cmdb_ci_name_idx"),
            models.Index(fields=["status", "environment"], name="cmdb_ci_status_env_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cmdb:ci_detail", args=[self.pk])

    @property
    def is_business_service(self):
        return self.ci_class.slug == BUSINESS_SERVICE_SLUG

    def clean(self):
        super().clean()
        errors = {}
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            errors["tags"] = [_("Tags must be a list of strings.")]
        if self.ci_class_id:
            problems = ci_schema.attribute_errors(self.ci_class.attribute_schema, self.attributes)
            if problems:
                errors["attributes"] = problems
        elif not isinstance(self.attributes, dict):
            errors["attributes"] = [_("Attributes must be a JSON object.")]
        if errors:
            raise ValidationError(errors)


class RelationshipRule(models.Model):
    """An allowed (source class, type, target class) combination.

    Once any rule exists for a relationship type, relationships of that type must match
    one of its rules; types without rules are unrestricted.
    """

    source_class = models.ForeignKey(
        CIClass, verbose_name=_("source class"), on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(_("type"), max_length=20, choices=RelationshipType.choices)
    target_class = models.ForeignKey(
        CIClass, verbose_name=_("target class"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["type", "source_class__name", "target_class__name"]
        verbose_name = _("relationship rule")
        verbose_name_plural = _("relationship rules")
        constraints = [
            models.UniqueConstraint(fields=["source_class", "type", "target_class"], name="cmdb_rule_unique"),
        ]

    def __str__(self):
        return f"{self.source_class} {self.get_type_display()} {self.target_class}"


class Relationship(models.Model):
    """`source <type> target`: the source needs the target, so an outage of the target
    impacts the source (the target's downstream)."""

    source = models.ForeignKey(
        ConfigurationItem, verbose_name=_("source"), on_delete=models.CASCADE, related_name="outgoing"
    )
    target = models.ForeignKey(
        ConfigurationItem, verbose_name=_("target"), on_delete=models.CASCADE, related_name="incoming"
    )
    type = models.CharField(_("type"), max_length=20, choices=RelationshipType.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["source_id", "type", "target_id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "type"], name="cmdb_rel_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="cmdb_rel_no_self_loop"),
        ]
        indexes = [
            # Upstream traversal (what a CI needs) joins on source; downstream on target.
            models.Index(fields=["source", "type"], name="cmdb_rel_source_type_idx"),
            models.Index(fields=["target", "type"], name="cmdb_rel_target_type_idx"),
        ]

    def __str__(self):
        return f"{self.source} {self.get_type_display()} {self.target}"

    def clean(self):
        super().clean()
        if self.source_id and self.target_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("A CI cannot be related to itself.")})
        if self.source_id and self.target_id and self.type:
            rules = RelationshipRule.objects.filter(type=self.type)
            if rules.exists():
                source_class = self.source.ci_class_id
                target_class = self.target.ci_class_id
                if not rules.filter(source_class_id=source_class, target_class_id=target_class).exists():
                    raise ValidationError({
                        "type": _("A %(source)s cannot have a '%(type)s' relationship to a %(target)s.") % {
                            "source": self.source.ci_class, "type": self.get_type_display(),
                            "target": self.target.ci_class,
                        }
                    })


class ImportJob(models.Model):
    """One CSV/JSON import of CIs or relationships: its input, progress and per-row errors.

    Large imports run as a Celery task that updates `processed_rows` as it goes; the import
    page polls this row.
    """

    class Kind(models.TextChoices):
        CIS = "cis", _("Configuration items")
        RELATIONSHIPS = "relationships", _("Relationships")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        JSON = "json", _("JSON")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CIS)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.CSV)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    payload = models.TextField(_("content"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_bad_rows = models.BooleanField(_("skip bad rows"), default=False)
    authorised_by = models.CharField(_("authorised by change"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # What each row would do (or did): [{"row", "action", "label"}], capped for display.
    preview = models.JSONField(_("preview"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename or self.pk}"

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
