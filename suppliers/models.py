"""Supplier management (ISO/IEC 20000-1 8.3.4): suppliers with their contacts and the team that
represents them in assignments, contracts (SLA, OLA, UC) whose targets the SLA engine runs as an
agreement (sla.SLADefinition), and the dispute log."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliers.choices import ContractKind, DisputeState

BUSINESS_NUMBER = re.compile(r"^\d{3}-\d{2}-\d{5}$")


def validate_business_number(value):
    """사업자등록번호 is written 000-00-00000."""
    if value and not BUSINESS_NUMBER.match(value):
        raise ValidationError(_("Write the business registration number as 000-00-00000."), code="format")


class Supplier(models.Model):
    """An external supplier (or an internal group bound by an OLA) that delivers part of a
    service. Its `team` is the assignment group that stands for it on tickets, so the tickets
    assigned to the supplier are those whose assignment group is that team."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    business_number = models.CharField(_("business registration number"), max_length=12, blank=True,
                                       validators=[validate_business_number],
                                       help_text=_("사업자등록번호, e.g. 123-45-67890."))
    internal = models.BooleanField(_("internal group"), default=False,
                                   help_text=_("An internal group bound by an OLA rather than an external supplier."))
    team = models.ForeignKey("accounts.Team", verbose_name=_("assignment group"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="suppliers",
                             help_text=_("The group that represents the supplier when tickets are assigned."))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("suppliers:supplier_detail", args=[self.pk])


class SupplierContact(models.Model):
    """A person to call at the supplier (account manager, escalation, billing)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("supplier"))
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        ordering = ["supplier", "id"]
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")

    def __str__(self):
        return self.name


class ContractQuerySet(models.QuerySet):
    def expiring_within(self, days, *, today=None):
        """Contracts still running that end within `days` days from today (inclusive)."""
        today = today or timezone.localdate()
        return self.filter(end__gte=today, end__lte=today + datetime.timedelta(days=int(days)))


class Contract(models.Model):
    """An agreement with a supplier: its scope, period, value, the person responsible and the
    next review, the documents that hold it, and — for its targets — the SLA definition that the
    engine runs on the tickets it covers (`definition`, kept by suppliers.services)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts",
                                 verbose_name=_("supplier"))
    kind = models.CharField(_("kind"), max_length=3, choices=ContractKind.choices, default=ContractKind.UC)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("contract number"), max_length=60, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    services = models.ManyToManyField("cmdb.ConfigurationItem", verbose_name=_("services"), blank=True,
                                      related_name="supplier_contracts")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    value = models.DecimalField(_("value (KRW)"), max_digits=16, decimal_places=0, null=True, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    review_date = models.DateField(_("review date"), null=True, blank=True)
    documents = models.ManyToManyField("documents.Document", verbose_name=_("documents"), blank=True,
                                       related_name="supplier_contracts")
    calendar = models.ForeignKey("sla.BusinessCalendar", verbose_name=_("business calendar"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The hours the targets count in; empty means 24×7."))
    definition = models.OneToOneField("sla.SLADefinition", verbose_name=_("agreement the SLA engine runs"),
                                      null=True, blank=True, on_delete=models.SET_NULL, related_name="contract")
    # Set once the contract.expiring event is published, so the beat task never sends it twice.
    expiry_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end", "id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            # The last line of defence behind Contract.clean(): a period that ends before it starts.
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="supplier_contract_end_after_start"),
        ]
        indexes = [
            # "Expiring within N days": a range scan on the end date.
            models.Index(fields=["end"], name="supplier_contract_end_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("suppliers:contract_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The contract cannot end before it starts.")})
        if self.review_date and self.end and self.review_date > self.end:
            raise ValidationError({"review_date": _("Review the contract before it ends.")})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("The value cannot be negative.")})

    @property
    def days_left(self):
        return (self.end - timezone.localdate()).days


class Dispute(models.Model):
    """An entry of the dispute log: a disagreement with a supplier over a contract (a credit
    claimed for a breach, an invoice), until it is resolved and how."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="disputes",
                                 verbose_name=_("contract"))
    raised_on = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("subject"), max_length=200)
    amount = models.DecimalField(_("amount (KRW)"), max_digits=16, decimal_places=0, null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DisputeState.choices, default=DisputeState.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if self.state == DisputeState.RESOLVED and not (self.resolution or "").strip():
            raise ValidationError({"resolution": _("Say how the dispute was resolved.")})
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("The amount cannot be negative.")})
