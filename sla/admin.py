"""Administration of calendars, agreements and escalation rules; clocks and events read-only.

Saves and deletes go through sla.services (with the inlines' rows), so every edit an
administrator makes is in the audit trail with its author."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ServiceWritesAdmin, changed_values, form_values, handled_by_service
from sla import services
from sla.models import (
    BusinessCalendar,
    CalendarException,
    ClockEvent,
    EscalationRule,
    EscalationRun,
    SLAClock,
    SLADefinition,
    SLATarget,
    WorkingInterval,
    interval_overlaps,
)


class WorkingIntervalFormSet(forms.BaseInlineFormSet):
    """Refuse overlapping intervals on a weekday and a calendar without hours (unless 24×7)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [(f.cleaned_data["weekday"], f.cleaned_data["start"], f.cleaned_data["end"])
                for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if interval_overlaps(rows):
            raise ValidationError(_("Two working intervals overlap on the same weekday."))
        if not rows and not self.instance.always_open:
            raise ValidationError(_("Give working hours, or make the calendar 24×7."))


class WorkingIntervalInline(admin.TabularInline):
    model = WorkingInterval
    formset = WorkingIntervalFormSet
    extra = 0


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0


def _inline_rows(formsets, model, names):
    """The rows an inline formset of `model` keeps (not deleted, not left blank), as dicts."""
    rows = []
    for formset in formsets:
        if formset.model is not model:
            continue
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE"):
                rows.append({name: data.get(name) for name in names})
    return rows


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ServiceWritesAdmin):
    list_display = ["name", "time_zone", "always_open", "holiday_country", "updated_at"]
    search_fields = ["name"]
    inlines = [WorkingIntervalInline, CalendarExceptionInline]

    def save_model(self, request, obj, form, change):
        """Saved with its hours and dates in save_related: one service call, one audit entry set."""

    def save_related(self, request, form, formsets, change):
        saved = services.save_calendar(
            form.instance if change else None, **self.writer_kwargs(request),
            fields=form_values(form, services.CALENDAR_FIELDS),
            working_hours=_inline_rows(formsets, WorkingInterval, ("weekday", "start", "end")),
            custom_dates=_inline_rows(formsets, CalendarException, ("date", "kind", "start", "end", "reason")))
        self.adopt(form.instance, saved)
        for formset in formsets:
            handled_by_service(formset)

    def delete(self, request, obj):
        services.delete_calendar(obj, **self.writer_kwargs(request))


class SLATargetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]:
            raise ValidationError(_("Give at least one target."))


class SLATargetInline(admin.TabularInline):
    model = SLATarget
    formset = SLATargetFormSet
    extra = 0


URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class EscalationRuleInline(admin.TabularInline):
    model = EscalationRule
    extra = 0
    formfield_overrides = URL_OVERRIDES
    fields = ["kind", "threshold", "action", "target_group", "webhook_url", "message", "active"]


@admin.register(SLADefinition)
class SLADefinitionAdmin(ServiceWritesAdmin):
    list_display = ["name", "agreement", "ticket_type", "calendar", "active", "stop_at", "on_reopen"]
    list_filter = ["agreement", "active", "calendar"]
    search_fields = ["name"]
    inlines = [SLATargetInline, EscalationRuleInline]

    def save_model(self, request, obj, form, change):
        """Saved with its targets in save_related: one service call, one audit entry set."""

    def save_related(self, request, form, formsets, change):
        saved = services.save_definition(
            form.instance if change else None, **self.writer_kwargs(request),
            fields=form_values(form, services.DEFINITION_FIELDS),
            targets=_inline_rows(formsets, SLATarget, ("priority", "response_minutes", "resolution_minutes")))
        self.adopt(form.instance, saved)
        for formset in formsets:
            if formset.model is EscalationRule:
                self._save_rules(request, saved, formset)
            handled_by_service(formset)

    def _save_rules(self, request, definition, formset):
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            rule = data.get("id")
            if data.get("DELETE"):
                if rule is not None:
                    services.delete_escalation_rule(rule, **self.writer_kwargs(request))
            elif rule is None or form.has_changed():
                fields = {**form_values(form, services.RULE_FIELDS), "definition": definition}
                services.save_escalation_rule(rule, **self.writer_kwargs(request), fields=fields)

    def delete(self, request, obj):
        services.delete_definition(obj, **self.writer_kwargs(request))


@admin.register(EscalationRule)
class EscalationRuleAdmin(ServiceWritesAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["definition", "kind", "threshold", "action", "active"]
    list_filter = ["action", "active"]

    def create(self, request, form, obj):
        return services.save_escalation_rule(None, **self.writer_kwargs(request),
                                             fields=form_values(form, services.RULE_FIELDS))

    def update(self, request, form, obj):
        return services.save_escalation_rule(obj, **self.writer_kwargs(request),
                                             fields=changed_values(form, services.RULE_FIELDS))

    def delete(self, request, obj):
        services.delete_escalation_rule(obj, **self.writer_kwargs(request))


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ClockEventInline(admin.TabularInline):
    model = ClockEvent
    extra = 0
    can_delete = False
    fields = ["kind", "at", "recorded_at", "threshold", "target_minutes", "elapsed_business_seconds", "due_at",
              "calendar", "actor", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SLAClock)
class SLAClockAdmin(ReadOnlyAdmin):
    list_display = ["id", "content_type", "object_id", "definition", "kind", "state", "due_at", "breached_at"]
    list_filter = ["state", "kind", "definition"]
    list_select_related = ["content_type", "definition"]
    inlines = [ClockEventInline]


@admin.register(EscalationRun)
class EscalationRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "rule", "clock", "threshold", "due_at", "done_at", "attempts"]
    list_select_related = ["rule", "rule__definition", "clock"]
