"""Desk pages of supplier management: suppliers (contracts, scorecard, disputes), contracts (with
their alignment warnings and an expiring filter) and the forms. The desk reads; managers and
administrators write, through suppliers.services with the version the form was read at."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.web import DeskRequiredMixin, form_error, htmx_redirect
from suppliers import scoring, selectors, services
from suppliers.choices import DISPUTE_BADGES, KIND_BADGES
from suppliers.forms import ContractFilterForm, ContractForm, DisputeForm, SupplierForm
from suppliers.models import Contract, Dispute, Supplier

WEB = Channel.WEB
EXPIRING_DAYS = 90


class ReadMixin(DeskRequiredMixin):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(can_write=roles.is_manager(self.request.user), kind_badges=KIND_BADGES,
                       dispute_badges=DISPUTE_BADGES, expiring_days=EXPIRING_DAYS)
        return context


class WriteMixin(DeskRequiredMixin):
    """Edit pages: an agent is refused (403) before anything is read or validated."""

    def permitted(self, user):
        return roles.is_manager(user)


def _with_warnings(contracts):
    contracts = list(contracts)
    warnings = selectors.alignment_warnings(contracts)
    for contract in contracts:
        contract.warnings = warnings.get(contract.pk, [])
    return contracts


def _quarter(request):
    label = (request.GET.get("quarter") or "").strip().upper()
    try:
        scoring.quarter_bounds(label)
    except ValueError:
        label = scoring.quarter_of(timezone.localdate())
    return label


class SupplierListView(ReadMixin, TemplateView):
    template_name = "suppliers/supplier_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quarter = _quarter(self.request)
        start, end = scoring.quarter_bounds(quarter)
        suppliers = list(Supplier.objects.select_related("team").annotate(
            contract_count=Count("contracts", distinct=True),
            open_disputes=Count("contracts__disputes", filter=Q(contracts__disputes__state="open"), distinct=True),
        ).order_by("name"))
        figures = selectors.scorecards(start, end, supplier_ids=[s.pk for s in suppliers]) if suppliers else {}
        for supplier in suppliers:
            supplier.card = figures.get(supplier.pk) or selectors.empty_scorecard()
        context.update(suppliers=suppliers, quarter=quarter,
                       expiring=_with_warnings(selectors.expiring_contracts(EXPIRING_DAYS)))
        return context


class SupplierDetailView(ReadMixin, TemplateView):
    template_name = "suppliers/supplier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier = get_object_or_404(Supplier.objects.select_related("team").prefetch_related("contacts"),
                                     pk=kwargs["pk"])
        quarter = _quarter(self.request)
        quarters = scoring.previous_quarters(quarter, 4)
        first, _end = scoring.quarter_bounds(quarters[0])
        trend = []
        for label in quarters:
            start, end = scoring.quarter_bounds(label)
            card = selectors.scorecards(start, end, supplier_ids=[supplier.pk]).get(supplier.pk) \
                or selectors.empty_scorecard()
            trend.append((label, card))
        contracts = _with_warnings(selectors.contract_queryset().filter(supplier=supplier).order_by("end", "id"))
        today = timezone.localdate()
        context.update(
            supplier=supplier, quarter=quarter, card=trend[-1][1], trend=trend, contracts=contracts,
            expiring=[c for c in contracts if today <= c.end and c.days_left <= EXPIRING_DAYS],
            disputes=list(selectors.disputes_for(supplier)))
        return context


class ContractListView(ReadMixin, TemplateView):
    template_name = "suppliers/contract_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ContractFilterForm(self.request.GET or None)
        qs = selectors.contract_queryset().order_by("end", "id")
        if form.is_valid():
            data = form.cleaned_data
            if data.get("kind"):
                qs = qs.filter(kind=data["kind"])
            if data.get("supplier"):
                qs = qs.filter(supplier=data["supplier"])
            if data.get("expiring_within") is not None:
                qs = qs.expiring_within(data["expiring_within"])
        context.update(filter_form=form, contracts=_with_warnings(qs[:500]))
        return context


class ContractDetailView(ReadMixin, TemplateView):
    template_name = "suppliers/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = get_object_or_404(selectors.contract_queryset(), pk=kwargs["pk"])
        contract.warnings = selectors.alignment_warnings([contract]).get(contract.pk, [])
        context.update(contract=contract, targets=services.contract_targets(contract),
                       disputes=list(contract.disputes.order_by("-raised_on", "-id")))
        return context


class RecordFormView(WriteMixin, View):
    """Create (no pk) or edit one record through its service; refusals land on the form."""

    template_name = "suppliers/form.html"
    model = None
    form_class = None

    def get_record(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(self.model, pk=pk) if pk else None

    def initial(self):
        return {}

    def get(self, request, pk=None):
        record = self.get_record()
        return self.render(self.form_class(instance=record, initial=self.initial()), record)

    def post(self, request, pk=None):
        record = self.get_record()
        form = self.form_class(request.POST, instance=record or self.model())
        status = 400
        if form.is_valid():
            try:
                saved = self.save(record, form)
            except StaleVersion as exc:
                form.add_error(None, exc.message)
                status = 409
            except (ValidationError, DomainError) as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": saved})
                return htmx_redirect(request, self.success_url(saved))
        return self.render(form, record, status=status)

    def success_url(self, saved):
        return saved.get_absolute_url()

    def render(self, form, record, status=200):
        return render(self.request, self.template_name, {
            "form": form, "record": record, "title": self.title(record),
            "cancel_url": record.get_absolute_url() if record and hasattr(record, "get_absolute_url")
            else self.cancel_url()}, status=status)


class SupplierFormView(RecordFormView):
    model = Supplier
    form_class = SupplierForm

    def title(self, record):
        return _("Edit %(name)s") % {"name": record} if record else _("New supplier")

    def cancel_url(self):
        from django.urls import reverse

        return reverse("suppliers:supplier_list")

    def save(self, record, form):
        return services.save_supplier(record, actor=self.request.user, channel=WEB, fields=form.changes(),
                                      contacts=form.cleaned_data["contacts"],
                                      expected_version=form.cleaned_data.get("version"))


class ContractFormView(RecordFormView):
    model = Contract
    form_class = ContractForm
    template_name = "suppliers/contract_form.html"

    def initial(self):
        supplier = self.request.GET.get("supplier")
        return {"supplier": supplier} if supplier and supplier.isdigit() else {}

    def title(self, record):
        return _("Edit %(name)s") % {"name": record} if record else _("New contract")

    def cancel_url(self):
        from django.urls import reverse

        return reverse("suppliers:contract_list")

    def save(self, record, form):
        return services.save_contract(record, actor=self.request.user, channel=WEB, fields=form.changes(),
                                      services=form.cleaned_data["services"],
                                      documents=form.cleaned_data["documents"], targets=form.targets(),
                                      expected_version=form.cleaned_data.get("version"))


class DisputeFormView(RecordFormView):
    model = Dispute
    form_class = DisputeForm

    def initial(self):
        contract = self.request.GET.get("contract")
        return {"contract": contract} if contract and contract.isdigit() else {}

    def title(self, record):
        return _("Edit dispute %(name)s") % {"name": record} if record else _("Log a dispute")

    def cancel_url(self):
        from django.urls import reverse

        return reverse("suppliers:supplier_list")

    def success_url(self, saved):
        return saved.contract.get_absolute_url() + "#disputes"

    def save(self, record, form):
        return services.save_dispute(record, actor=self.request.user, channel=WEB, fields=form.changes(),
                                     expected_version=form.cleaned_data.get("version"))
