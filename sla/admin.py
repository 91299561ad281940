"""Administration of calendars, agreements and escalation rules; clocks and events read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "always_open", "holiday_country", "updated_at"]
    search_fields = ["name"]
    inlines = [WorkingIntervalInline, CalendarExceptionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.save(update_fields=["updated_at"])


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
class SLADefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement", "ticket_type", "calendar", "active", "stop_at", "on_reopen"]
    list_filter = ["agreement", "active", "calendar"]
    search_fields = ["name"]
    inlines = [SLATargetInline, EscalationRuleInline]


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["definition", "kind", "threshold", "action", "active"]
    list_filter = ["action", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
