"""Desk pages of service reports: list and generate, detail (approve, distribute, downloads),
the printable page. Managers and administrators only; to anyone else they do not exist (404)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from accounts import roles
from accounts.models import Organisation
from core.choices import Channel
from core.exceptions import DomainError
from core.models import AuditEntry
from core.web import DeskRequiredMixin, form_error, int_param
from reports import exports, presentation, services
from reports.choices import BADGE_COLOURS, FileFormat, ReportState
from reports.forms import ApproveForm, DistributeForm, GenerateForm
from reports.models import ServiceReport


class ManagerMixin(DeskRequiredMixin):
    refusal = Http404

    def permitted(self, user):
        return roles.is_manager(user)

    def reports(self):
        return ServiceReport.objects.visible_to(self.request.user)


class ReportListView(ManagerMixin, ListView):
    template_name = "reports/list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        qs = self.reports().select_related("organisation", "service")
        organisation = int_param(self.request, "organisation")
        if organisation:
            qs = qs.filter(organisation_id=organisation)
        state = self.request.GET.get("state")
        if state in ReportState.values:
            qs = qs.filter(state=state)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", GenerateForm())
        context.update(organisations=Organisation.objects.order_by("name"), states=ReportState.choices,
                       badge_colours=BADGE_COLOURS, selected_state=self.request.GET.get("state", ""),
                       selected_organisation=int_param(self.request, "organisation"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class GenerateView(ManagerMixin, View):
    """POST: generate (or regenerate a draft of) one report now; refusals re-show the list 400/409."""

    def post(self, request):
        form = GenerateForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.generate(organisation=data["organisation"], service=data["service"],
                                           month=data["month"], actor=request.user, channel=Channel.WEB)
            except DomainError as refusal:
                form_error(form, refusal)
                status = refusal.status_code
            else:
                messages.success(request, _("Report generated and frozen."))
                return redirect(report)
        listing = ReportListView()
        listing.setup(request)
        listing.object_list = listing.get_queryset()
        response = listing.render_to_response(listing.get_context_data(form=form))
        response.status_code = status
        return response


class ReportMixin(ManagerMixin):
    def get_queryset(self):
        return self.reports().select_related("organisation", "service", "generated_by", "approved_by",
                                             "distributed_by")


class ReportDetailView(ReportMixin, DetailView):
    template_name = "reports/detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            sections=presentation.sections(report.snapshot), meta=presentation.meta(report.snapshot),
            title=presentation.title(report.snapshot), badge=BADGE_COLOURS[report.state],
            audit=_audit(report),
            report_languages=settings.LANGUAGES, formats=FileFormat.choices,
            approve_form=kwargs.get("approve_form") or ApproveForm(initial={"version": report.version}),
            distribute_form=kwargs.get("distribute_form") or DistributeForm(initial={"version": report.version}),
            can_approve=report.state == ReportState.DRAFT, can_distribute=report.state == ReportState.APPROVED,
        )
        return context


def _audit(report):
    """The report's audit rows, states in words (who generated, approved, distributed, when, to whom)."""
    labels = dict(ReportState.choices)
    entries = list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ServiceReport),
                                             object_id=report.pk).select_related("actor").order_by("created_at", "id"))
    for entry in entries:
        entry.old_label = labels.get(entry.old_value, entry.old_value)
        entry.new_label = labels.get(entry.new_value, entry.new_value)
    return entries


class ReportPrintView(ReportDetailView):
    template_name = "reports/print.html"


class DownloadView(ReportMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in FileFormat.values:
            raise Http404
        report = get_object_or_404(self.get_queryset(), pk=pk)
        language = request.GET.get("lang") or get_language()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        content, content_type, name = exports.render(report, fmt, language)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class TransitionView(ReportMixin, View):
    form_class = ApproveForm

    def act(self, report, form):
        raise NotImplementedError

    def post(self, request, pk):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        form = self.form_class(request.POST)
        status = 400
        if form.is_valid():
            try:
                self.act(report, form)
            except DomainError as refusal:
                form_error(form, refusal)
                status = refusal.status_code
            else:
                return redirect(report)
        detail = ReportDetailView()
        detail.setup(request, pk=pk)
        detail.object = report
        key = "approve_form" if self.form_class is ApproveForm else "distribute_form"
        response = detail.render_to_response(detail.get_context_data(object=report, **{key: form}))
        response.status_code = status
        return response


class ApproveView(TransitionView):
    def act(self, report, form):
        services.approve(report, actor=self.request.user, channel=Channel.WEB, version=form.cleaned_data["version"])
        messages.success(self.request, _("Report approved."))


class DistributeView(TransitionView):
    form_class = DistributeForm

    def act(self, report, form):
        services.distribute(report, actor=self.request.user, channel=Channel.WEB,
                            recipients=form.cleaned_data["recipients"], version=form.cleaned_data["version"])
        messages.success(self.request, _("Distribution recorded."))
