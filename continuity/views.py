"""Desk pages of continuity: the plans with their test status, a plan with its tests and invocations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from continuity import selectors, services
from continuity.forms import InvocationForm, TestForm
from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, bootstrapify, form_error


class PlanListView(DeskRequiredMixin, TemplateView):
    template_name = "continuity/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(selectors.plans().prefetch_related("services"))
        context.update(plans=plans, overdue=sum(1 for p in plans if p.test_overdue),
                       retest=sum(1 for p in plans if p.retest_required))
        return context


class PlanDetailView(DeskRequiredMixin, View):
    template_name = "continuity/detail.html"

    def plan(self, pk):
        return get_object_or_404(selectors.plans().prefetch_related("services"), pk=pk)

    def get(self, request, pk):
        return self.render(self.plan(pk))

    def render(self, plan, test_form=None, invocation_form=None, status=200):
        test_form = bootstrapify(test_form or TestForm())
        invocation_form = bootstrapify(invocation_form or InvocationForm())
        return render(self.request, self.template_name, {
            "plan": plan, "tests": list(plan.tests.select_related("recorded_by")),
            "invocations": list(plan.invocations.select_related("incident")),
            "test_form": test_form, "invocation_form": invocation_form}, status=status)


class RecordTestView(PlanDetailView):
    def get(self, request, pk):
        return redirect("continuity:plan_detail", pk=pk)

    def post(self, request, pk):
        plan = self.plan(pk)
        form = TestForm(request.POST)
        if form.is_valid():
            try:
                services.record_test(plan, actor=request.user, channel=Channel.WEB, **form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Test recorded."))
                return redirect(plan.get_absolute_url())
        return self.render(plan, test_form=form, status=400)


class RecordInvocationView(PlanDetailView):
    def get(self, request, pk):
        return redirect("continuity:plan_detail", pk=pk)

    def post(self, request, pk):
        plan = self.plan(pk)
        form = InvocationForm(request.POST)
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                services.record_invocation(plan, actor=request.user, channel=Channel.WEB,
                                           incident=data.pop("incident_number"), **data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Invocation recorded."))
                return redirect(plan.get_absolute_url())
        return self.render(plan, invocation_form=form, status=400)
