"""Desk pages of the public-sector SLA evaluation: contracts, the indicator editor, and the
monthly evaluation sheet (printable, in Korean) with its XLSX download."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from availability.views import month_from
from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, form_error
from publicsla import rules, selectors, services, xlsx
from publicsla.forms import ContractForm, IndicatorFormSet, WaiverForm
from publicsla.models import Contract


class ManagerWriteMixin(DeskRequiredMixin):
    """Desk staff read; managers write (a POST by anyone else is refused before it is read)."""

    def permitted(self, user):
        if self.request.method == "POST":
            return roles.is_manager(user)
        return roles.is_agent(user)


def _table_initial(contract):
    return [{"code": i.code, "name": i.name, "kind": i.kind, "required": i.required, "weight": i.weight,
             "target": i.target, "minimum": i.minimum, "formula": i.formula} for i in contract.indicators.all()]


class ContractListView(ManagerWriteMixin, View):
    def get(self, request, form=None, status=200):
        contracts = selectors.contracts_queryset()
        return render(request, "publicsla/contract_list.html", {
            "contracts": contracts, "form": form or ContractForm(), "can_write": roles.is_manager(request.user),
        }, status=status)

    def post(self, request):
        form = ContractForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                contract = services.create_contract(actor=request.user, channel=Channel.WEB, **data)
                messages.success(request, _("Contract created with the default indicator table of its grade."))
                return redirect(contract.get_absolute_url())
            except DomainError as error:
                form_error(form, error)
        return self.get(request, form=form, status=400)


class ContractDetailView(ManagerWriteMixin, View):
    template_name = "publicsla/contract_detail.html"

    def context(self, contract, form=None, formset=None):
        return {"contract": contract, "form": form or ContractForm(instance=contract),
                "formset": formset or IndicatorFormSet(initial=_table_initial(contract), prefix="ind"),
                "can_write": roles.is_manager(self.request.user), "waivers": contract.waivers.order_by("-year"),
                "month": month_from(self.request).strftime("%Y-%m"),
                "evaluations": contract.evaluations.order_by("-month")[:12]}

    def get(self, request, pk):
        contract = get_object_or_404(selectors.contracts_queryset(), pk=pk)
        return render(request, self.template_name, self.context(contract))

    def post(self, request, pk):
        contract = get_object_or_404(selectors.contracts_queryset(), pk=pk)
        form = ContractForm(request.POST, instance=contract)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and formset.is_valid():
            table = [f.cleaned_data for f in formset.forms
                     if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            for row in table:
                row.pop("DELETE", None)
            try:
                services.update_contract(contract, actor=request.user, channel=Channel.WEB,
                                         changes=dict(form.cleaned_data), indicators=table)
                messages.success(request, _("Contract saved."))
                return redirect(contract.get_absolute_url())
            except DomainError as error:
                if error.field == "indicators":
                    formset._non_form_errors = formset.error_class([str(error.message)])
                else:
                    form_error(form, error)
        contract.refresh_from_db()
        return render(request, self.template_name, self.context(contract, form, formset), status=400)


class EvaluationView(ManagerWriteMixin, View):
    """The month's evaluation sheet; POST records it (action=record) or grants the year's waiver."""

    def get(self, request, pk, form=None, status=200):
        contract = get_object_or_404(selectors.contracts_queryset(), pk=pk)
        first = month_from(request)
        sheet = selectors.evaluate(contract, first)
        return render(request, "publicsla/evaluation.html", {
            "contract": contract, "sheet": sheet, "month": first.strftime("%Y-%m"),
            "grade_minimum": rules.GRADE_MINIMUM[contract.system_grade],
            "can_write": roles.is_manager(request.user),
            "waiver_form": form or WaiverForm(initial={"month": first.strftime("%Y-%m")}),
        }, status=status)

    def post(self, request, pk):
        contract = get_object_or_404(Contract, pk=pk)
        first = month_from(request)
        if request.POST.get("action") == "record":
            services.record_evaluation(contract, first, actor=request.user, channel=Channel.WEB)
            messages.success(request, _("Evaluation recorded."))
            return redirect(f"{request.path}?month={first:%Y-%m}")
        form = WaiverForm(request.POST)
        if form.is_valid():
            try:
                waived = month_from_text(form.cleaned_data["month"])
                services.grant_waiver(contract, actor=request.user, channel=Channel.WEB, year=waived.year,
                                      month=waived.month, reason=form.cleaned_data["reason"])
                messages.success(request, _("The year's waiver is granted."))
                return redirect(f"{request.path}?month={waived:%Y-%m}")
            except DomainError as error:
                form_error(form, error)
        return self.get(request, pk, form=form, status=400)


def month_from_text(text):
    from availability.rules import parse_month

    return parse_month(text)


class EvaluationXlsxView(DeskRequiredMixin, View):
    def get(self, request, pk):
        contract = get_object_or_404(selectors.contracts_queryset(), pk=pk)
        first = month_from(request)
        sheet = selectors.evaluate(contract, first)
        response = HttpResponse(xlsx.render(sheet, contract.time_zone),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="public-sla-{contract.pk}-{first:%Y-%m}.xlsx"'
        return response
