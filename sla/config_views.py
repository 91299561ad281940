"""Desk pages of the SLA configuration: calendars, definitions and escalation rules. Every desk
member reads them; writing is for managers and administrators (accounts.permissions), whose
saves go through sla.services with the version the form was read at."""

import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import permissions
from accounts.models import Organisation, Team
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.web import DeskRequiredMixin, form_error, htmx_redirect
from sla import services
from sla.configuration import group_weekly_hours, holiday_preview
from sla.forms import CalendarForm, DefinitionForm, EscalationRuleForm, calendar_formsets
from sla.models import BusinessCalendar, EscalationRule, SLADefinition, SLATarget


class ConfigReadMixin(DeskRequiredMixin):
    """Read for the whole desk; `can_write` tells the templates whether to offer edits."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = permissions.can_configure_service_levels(self.request.user)
        context["active"] = "config"
        return context


class ConfigWriteMixin(DeskRequiredMixin):
    """Edit pages: an agent is refused (403) before anything is read or validated."""

    def permitted(self, user):
        return permissions.can_configure_service_levels(user)


def _saved_or_conflict(form, exc):
    """A refusal from the service onto the form: 409 for a stale version, 400 for the rest."""
    if isinstance(exc, StaleVersion):
        form.add_error(None, exc.message)
        return 409
    form_error(form, exc)
    return 400


def _calendar_rows(calendar):
    calendar.hour_rows = group_weekly_hours(calendar.intervals.all())
    return calendar


class CalendarListView(ConfigReadMixin, TemplateView):
    template_name = "sla/config/calendar_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calendars = list(BusinessCalendar.objects.annotate(definition_count=Count("definitions"))
                         .prefetch_related("intervals").order_by("name"))
        context["calendars"] = [_calendar_rows(c) for c in calendars]
        return context


class CalendarDetailView(ConfigReadMixin, TemplateView):
    template_name = "sla/config/calendar_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        calendar = get_object_or_404(BusinessCalendar.objects.prefetch_related("intervals", "exceptions"),
                                     pk=kwargs["pk"])
        _calendar_rows(calendar)
        this_year = timezone.localdate(timezone=zoneinfo.ZoneInfo(calendar.time_zone)).year
        exceptions = list(calendar.exceptions.all())
        context.update(calendar=calendar, exceptions=exceptions,
                       preview=holiday_preview(calendar, (this_year, this_year + 1), exceptions=exceptions),
                       definitions=calendar.definitions.order_by("name"))
        return context


class CalendarFormView(ConfigWriteMixin, View):
    template_name = "sla/config/calendar_form.html"

    def get_calendar(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(BusinessCalendar, pk=pk) if pk else None

    def get(self, request, pk=None):
        calendar = self.get_calendar()
        hours, dates = calendar_formsets(calendar=calendar)
        return self.render(CalendarForm(calendar=calendar), hours, dates, calendar)

    def post(self, request, pk=None):
        calendar = self.get_calendar()
        form = CalendarForm(request.POST, calendar=calendar)
        hours, dates = calendar_formsets(request.POST, calendar=calendar)
        status = 400
        if form.is_valid() & hours.is_valid() & dates.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                calendar = services.save_calendar(calendar, actor=request.user, channel=Channel.WEB, fields=fields,
                                                  working_hours=hours.working_hours(),
                                                  custom_dates=dates.custom_dates(),
                                                  expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                status = _saved_or_conflict(form, exc)
            else:
                messages.success(request, _("Saved calendar %(name)s.") % {"name": calendar.name})
                return htmx_redirect(request, calendar.get_absolute_url())
        return self.render(form, hours, dates, calendar, status=status)

    def render(self, form, hours, dates, calendar, status=200):
        return render(self.request, self.template_name, {
            "form": form, "hours": hours, "dates": dates, "calendar": calendar, "active": "config"}, status=status)


def _definitions():
    return (SLADefinition.objects.select_related("calendar", "ticket_type")
            .prefetch_related(Prefetch("targets", queryset=SLATarget.objects.order_by("priority"))))


class DefinitionListView(ConfigReadMixin, TemplateView):
    template_name = "sla/config/definition_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["definitions"] = list(_definitions().annotate(rule_count=Count("escalation_rules"))
                                      .order_by("-active", "name"))
        return context


class DefinitionDetailView(ConfigReadMixin, TemplateView):
    template_name = "sla/config/definition_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        definition = get_object_or_404(_definitions(), pk=kwargs["pk"])
        applies = definition.applies_to or {}
        context.update(
            definition=definition,
            rules=definition.escalation_rules.select_related("target_group").order_by("threshold", "id"),
            groups=Team.objects.filter(pk__in=applies.get("assignment_groups", [])).order_by("name"),
            organisations=Organisation.objects.filter(pk__in=applies.get("organisations", [])).order_by("name"),
            other_conditions={k: v for k, v in applies.items()
                              if k not in ("priorities", "assignment_groups", "organisations")},
        )
        return context


class DefinitionFormView(ConfigWriteMixin, View):
    template_name = "sla/config/definition_form.html"

    def get_definition(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(_definitions(), pk=pk) if pk else None

    def get(self, request, pk=None):
        definition = self.get_definition()
        return self.render(DefinitionForm(definition=definition), definition)

    def post(self, request, pk=None):
        definition = self.get_definition()
        form = DefinitionForm(request.POST, definition=definition)
        status = 400
        if form.is_valid():
            try:
                definition = services.save_definition(
                    definition, actor=request.user, channel=Channel.WEB, fields=form.service_fields(),
                    targets=form.targets(), expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                status = _saved_or_conflict(form, exc)
            else:
                messages.success(request, _("Saved agreement %(name)s.") % {"name": definition.name})
                return htmx_redirect(request, definition.get_absolute_url())
        return self.render(form, definition, status=status)

    def render(self, form, definition, status=200):
        return render(self.request, self.template_name, {"form": form, "definition": definition,
                                                         "active": "config"}, status=status)


class RuleFormView(ConfigWriteMixin, View):
    """Create a rule under a definition (`definition_pk`) or edit one (`pk`)."""

    template_name = "sla/config/rule_form.html"

    def get_objects(self):
        if "pk" in self.kwargs:
            rule = get_object_or_404(EscalationRule.objects.select_related("definition"), pk=self.kwargs["pk"])
            return rule.definition, rule
        return get_object_or_404(SLADefinition, pk=self.kwargs["definition_pk"]), None

    def get(self, request, **kwargs):
        definition, rule = self.get_objects()
        return self.render(EscalationRuleForm(rule=rule), definition, rule)

    def post(self, request, **kwargs):
        definition, rule = self.get_objects()
        form = EscalationRuleForm(request.POST, rule=rule)
        status = 400
        if form.is_valid():
            try:
                services.save_escalation_rule(rule, actor=request.user, channel=Channel.WEB,
                                              fields={**form.service_fields(), "definition": definition},
                                              expected_version=form.cleaned_data.get("version"))
            except (ValidationError, DomainError) as exc:
                status = _saved_or_conflict(form, exc)
            else:
                messages.success(request, _("Saved escalation rule."))
                return htmx_redirect(request, definition.get_absolute_url())
        return self.render(form, definition, rule, status=status)

    def render(self, form, definition, rule, status=200):
        return render(self.request, self.template_name, {"form": form, "definition": definition, "rule": rule,
                                                         "active": "config"}, status=status)
