"""The service catalog: what people may order, who may order it, the form they answer, who
approves it and how it is fulfilled (ISO/IEC 20000-1 8.2.4 catalogue, 8.6.2 request fulfilment).

Names and descriptions are kept in English and Korean side by side (`name`, `name_ko`, ...);
`localized(obj, "name")` answers in the active language and falls back to the other one.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import ApprovalMode
from core.search import SearchFields


def localized(obj, field):
    """`obj.<field>_ko` for a Korean reader when it is filled, else `obj.<field>` (and the
    reverse fallback: an item written only in Korean still has a name for everyone)."""
    english = getattr(obj, field, "") or ""
    korean = getattr(obj, f"{field}_ko", "") or ""
    if (get_language() or "").startswith("ko"):
        return korean or english
    return english or korean


class BilingualMixin:
    @property
    def display_name(self):
        return localized(self, "name")


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Category(BilingualMixin, models.Model):
    """A shelf of the catalog. Nested one level: a top category may hold sub-categories,
    a sub-category may not hold more."""

    name = models.CharField(_("name (English)"), max_length=150)
    name_ko = models.CharField(_("name (Korean)"), max_length=150, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    parent = models.ForeignKey("self", verbose_name=_("parent category"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    # A Bootstrap Icons name ("laptop", "key"), shipped with the project's static files.
    icon = models.CharField(_("icon"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("catalog category")
        verbose_name_plural = _("catalog categories")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="catalog_category_not_own_parent"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("catalog:category_edit", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Categories nest one level only: choose a top-level category.")})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": _("This category has sub-categories, so it must stay at the top level.")})


class CatalogItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def orderable_by(self, user):
        """Items the person may order: active, and open to everyone or to one of their
        organisation or groups. Everything else answers 404 to them (never 403)."""
        qs = self.filter(active=True)
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        audience = Q(available_to_everyone=True)
        if getattr(user, "organisation_id", None):
            audience |= Q(organisations=user.organisation_id)
        audience |= Q(groups__members=user.pk)
        return qs.filter(audience).distinct()


class CatalogItem(BilingualMixin, models.Model):
    """Something people may order: its description, its request form, its approvals and its
    fulfilment plan (ordered task templates)."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="items")
    name = models.CharField(_("name (English)"), max_length=150)
    name_ko = models.CharField(_("name (Korean)"), max_length=150, blank=True)
    summary = models.CharField(_("short description (English)"), max_length=300, blank=True)
    summary_ko = models.CharField(_("short description (Korean)"), max_length=300, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    icon = models.CharField(_("icon"), max_length=60, blank=True,
                            help_text=_("A Bootstrap Icons name, such as laptop or key."))
    picture = models.FileField(_("picture"), upload_to="catalog/", blank=True, max_length=300)
    service = models.ForeignKey("cmdb.ConfigurationItem", verbose_name=_("business service"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="catalog_items")
    available_to_everyone = models.BooleanField(
        _("everyone may order"), default=True,
        help_text=_("Off: only the chosen organisations and groups may order it."))
    organisations = models.ManyToManyField("accounts.Organisation", verbose_name=_("organisations"),
                                           blank=True, related_name="+")
    groups = models.ManyToManyField("accounts.Team", verbose_name=_("groups"), blank=True, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    # Working hours from approval to delivery; also the item's resolution target when
    # `sla_from_delivery_time` is set (the SLA engine reads it).
    delivery_time = models.PositiveIntegerField(_("expected delivery time (hours)"), default=40)
    sla_from_delivery_time = models.BooleanField(
        _("delivery time is the SLA target"), default=False,
        help_text=_("Use this item's delivery time as the resolution target of requests for it."))
    max_quantity = models.PositiveIntegerField(_("largest quantity per request"), default=10)
    # The request form: a JSON Schema (draft 2020-12) of the answers, and UI hints (field order,
    # labels in both languages, help, widgets, "shown only when" conditions) beside it.
    # catalog.formschema validates answers against both and renders the form from them.
    form_schema = models.JSONField(_("form (JSON Schema)"), default=dict, blank=True)
    form_ui = models.JSONField(_("form layout"), default=dict, blank=True)
    # Bumped by every submitted request: the portal's "popular items" without a count over requests.
    times_ordered = models.PositiveIntegerField(_("times ordered"), default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    # English and Korean side by side in one `simple` document (core.search): "노트북" and
    # "laptop" both find the laptop. Kept up to date by catalog.services.
    SEARCH_FIELDS = SearchFields(("name", "A"), ("name_ko", "A"), ("summary", "B"), ("summary_ko", "B"),
                                 ("description", "C"), ("description_ko", "C"), ranked=True)

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "name"]
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        indexes = [
            GinIndex(fields=["search_vector"], name="catalog_item_search_idx"),
            models.Index(fields=["-times_ordered"], name="catalog_item_popular_idx", condition=Q(active=True)),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("catalog:item_detail", args=[self.pk])

    @property
    def display_summary(self):
        return localized(self, "summary")

    @property
    def display_description(self):
        return localized(self, "description")


class ApproverKind(models.TextChoices):
    LINE_MANAGER = "line_manager", _("The requester's line manager")
    GROUP = "group", _("A group")


class ItemApprovalStage(models.Model):
    """One approval stage of an item, worked in order. An item without stages needs no approval."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="approval_stages",
                             verbose_name=_("catalog item"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=150)
    approver = models.CharField(_("approver"), max_length=20, choices=ApproverKind.choices,
                                default=ApproverKind.LINE_MANAGER)
    group = models.ForeignKey("accounts.Team", verbose_name=_("approver group"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("mode"), max_length=10, choices=ApprovalMode.choices, default=ApprovalMode.ANY)
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)

    class Meta:
        ordering = ["item", "order"]
        verbose_name = _("approval stage")
        verbose_name_plural = _("approval stages")
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="catalog_stage_order_unique")]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        super().clean()
        if self.approver == ApproverKind.GROUP and not self.group_id:
            raise ValidationError({"group": _("A group stage needs its approver group.")})
        if self.mode == ApprovalMode.QUORUM and not self.quorum:
            raise ValidationError({"quorum": _("A quorum stage needs the number of approvals.")})


class TaskTemplate(models.Model):
    """One step of an item's fulfilment plan. Stages run in sequence; the templates of one
    stage become tasks that run in parallel. A step may raise a standard change instead."""

    item = models.ForeignKey(CatalogItem, on_delete=models.CASCADE, related_name="task_templates",
                             verbose_name=_("catalog item"))
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name (English)"), max_length=200)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    assignment_group = models.ForeignKey("accounts.Team", verbose_name=_("assignment group"),
                                         on_delete=models.PROTECT, related_name="+")
    # Names of the form's fields whose answers the task shows to the people doing it.
    answer_fields = models.JSONField(_("answers it needs"), default=list, blank=True)
    change_template = models.ForeignKey("changes.ChangeTemplate", verbose_name=_("raise a standard change"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "stage", "order", "id"]
        verbose_name = _("task template")
        verbose_name_plural = _("task templates")

    def __str__(self):
        return localized(self, "name")
