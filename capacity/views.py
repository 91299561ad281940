"""Desk pages of capacity: the capacity report (metrics nearing capacity) and a metric's thresholds."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from capacity import selectors, services
from capacity.forms import ThresholdForm
from capacity.models import Metric
from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, bootstrapify, form_error


class ReportView(DeskRequiredMixin, TemplateView):
    """Every metric, those nearing capacity first (level raised, above 80 % or full within 90 days)."""

    template_name = "capacity/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_all = self.request.GET.get("show") == "all"
        rows = selectors.report()
        context.update(rows=rows if show_all else [r for r in rows if r["near"]], show_all=show_all,
                       total=len(rows), near=sum(1 for r in rows if r["near"]))
        return context


class ThresholdView(DeskRequiredMixin, View):
    template_name = "capacity/thresholds.html"

    def get(self, request, pk):
        metric = get_object_or_404(Metric.objects.select_related("ci"), pk=pk)
        return self.render(ThresholdForm(instance=metric), metric)

    def post(self, request, pk):
        metric = get_object_or_404(Metric.objects.select_related("ci"), pk=pk)
        form = ThresholdForm(request.POST, instance=Metric.objects.get(pk=metric.pk))
        if form.is_valid():
            try:
                services.update_metric(metric, actor=request.user, channel=Channel.WEB, changes=form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Thresholds saved."))
                return redirect(metric.ci.get_absolute_url())
        return self.render(form, metric, status=400)

    def render(self, form, metric, status=200):
        from django.shortcuts import render

        bootstrapify(form)
        return render(self.request, self.template_name, {"form": form, "metric": metric}, status=status)
