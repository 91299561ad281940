"""Desk pages of event management: the alert console, an alert's events, rule administration,
and linking a suspected change as an incident's cause (from the incident page's panel)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.edit import CreateView, UpdateView

from accounts import roles
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, bootstrapify
from incidents.models import Incident
from monitoring import suspects
from monitoring.choices import Severity
from monitoring.filtersets import AlertFilterSet
from monitoring.forms import CIMappingRuleForm, IncidentRuleForm
from monitoring.models import Alert, CIMappingRule, IncidentRule


class AlertListView(DeskRequiredMixin, ListView):
    """The alert console: open alerts by default, newest activity first."""

    template_name = "monitoring/alert_list.html"
    paginate_by = 50
    context_object_name = "alerts"

    def get_queryset(self):
        data = self.request.GET.copy()
        data.setdefault("state", "open")
        if data.get("state") == "all":
            data["state"] = ""
        self.filterset = AlertFilterSet(data, queryset=Alert.objects.select_related("ci", "service", "incident"))
        queryset = self.filterset.qs if self.filterset.is_valid() else Alert.objects.none()
        q = self.request.GET.get("q", "").strip().replace("\x00", "")
        if q:
            queryset = queryset.filter(Q(fingerprint__icontains=q) | Q(check_name__icontains=q) |
                                       Q(node__icontains=q) | Q(ci__name__icontains=q))
        return queryset.order_by("-last_seen", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = Alert.objects.filter(state="open").aggregate(
            total=Count("id"), with_incident=Count("id", filter=Q(incident__isnull=False)),
            critical=Count("id", filter=Q(severity="critical")), major=Count("id", filter=Q(severity="major")))
        context.update(totals=totals, filter_severities=Severity.choices, state=self.request.GET.get("state", "open"),
                       severity=self.request.GET.get("severity", ""), q=self.request.GET.get("q", ""),
                       can_edit_rules=roles.is_manager(self.request.user))
        return context


class AlertDetailView(DeskRequiredMixin, DetailView):
    template_name = "monitoring/alert_detail.html"
    context_object_name = "alert"
    queryset = Alert.objects.select_related("ci", "service", "incident")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = list(self.object.events.order_by("-id")[:100])
        context["event_count"] = self.object.events.count()
        return context


class RuleListView(DeskRequiredMixin, TemplateView):
    """Rule administration: how events find their CI and which alerts open incidents."""

    template_name = "monitoring/rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(mapping_rules=CIMappingRule.objects.all(), incident_rules=IncidentRule.objects.all(),
                       can_edit_rules=roles.is_manager(self.request.user))
        return context


class RuleEditMixin(DeskRequiredMixin):
    """Managers and administrators keep the rules; agents read them."""

    template_name = "monitoring/rule_form.html"

    def permitted(self, user):
        return roles.is_manager(user)

    def get_form(self, form_class=None):
        return bootstrapify(super().get_form(form_class))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400  # as every desk form refusing its input
        return response

    def get_success_url(self):
        messages.success(self.request, _("Rule saved."))
        return reverse("monitoring:rule_list")


class MappingRuleCreateView(RuleEditMixin, CreateView):
    model, form_class = CIMappingRule, CIMappingRuleForm


class MappingRuleUpdateView(RuleEditMixin, UpdateView):
    model, form_class = CIMappingRule, CIMappingRuleForm


class IncidentRuleCreateView(RuleEditMixin, CreateView):
    model, form_class = IncidentRule, IncidentRuleForm


class IncidentRuleUpdateView(RuleEditMixin, UpdateView):
    model, form_class = IncidentRule, IncidentRuleForm


class LinkCauseView(DeskRequiredMixin, View):
    """POST from the incident page's suspected-changes panel: link the chosen change as the cause."""

    def post(self, request, pk):
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        try:
            change_id = int(request.POST.get("change", ""))
        except ValueError:
            change_id = None
        try:
            change = suspects.link_cause(incident, change_id=change_id, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(number)s linked as the suspected cause.") % {"number": change.number})
        return redirect(incident.get_absolute_url())
