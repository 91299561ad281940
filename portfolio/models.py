"""The service portfolio (ISO/IEC 20000-1 8.2): each business service of the CMDB with its stage
in the life cycle (pipeline, live, retired), owner, customers and published description. Its
supporting CIs come from the CMDB graph, its agreements from the SLA definitions and its catalog
items from the catalog: they are read where they are kept, not copied here."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portfolio.choices import BADGES, Lifecycle


class PortfolioServiceQuerySet(models.QuerySet):
    def live(self):
        return self.filter(lifecycle=Lifecycle.LIVE)


class PortfolioService(models.Model):
    badge_colours = {"lifecycle": BADGES}
    AUDIT_EXCLUDE = frozenset({"updated_at", "version", "created_at"})
    EDITABLE_FIELDS = ("name_ko", "summary", "summary_ko", "lifecycle", "owner", "customers", "change",
                       "live_since")

    service = models.OneToOneField("cmdb.ConfigurationItem", verbose_name=_("business service"),
                                   on_delete=models.PROTECT, related_name="portfolio_entry")
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    summary = models.TextField(_("catalogue description"), blank=True)
    summary_ko = models.TextField(_("catalogue description (Korean)"), blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.PIPELINE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("service owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_portfolio_services")
    customers = models.ManyToManyField("accounts.Organisation", verbose_name=_("customers"), blank=True,
                                       related_name="portfolio_services")
    # The change that retires (or otherwise alters) the service; retiring needs one.
    change = models.ForeignKey("changes.Change", verbose_name=_("change"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="portfolio_services")
    live_since = models.DateField(_("live since"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = PortfolioServiceQuerySet.as_manager()

    class Meta:
        ordering = ["service__name", "id"]
        verbose_name = _("portfolio service")
        verbose_name_plural = _("portfolio services")
        indexes = [models.Index(fields=["lifecycle"], name="portfolio_lifecycle_idx")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if (get_language() or "").startswith("ko") and self.name_ko:
            return self.name_ko
        return self.service.name

    @property
    def display_summary(self):
        if (get_language() or "").startswith("ko") and self.summary_ko:
            return self.summary_ko
        return self.summary or self.summary_ko

    def get_absolute_url(self):
        return reverse("portfolio:detail", args=[self.pk])
