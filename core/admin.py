from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import outbox
from core.choices import Channel
from core.models import AuditEntry, Delivery, OutboxEvent


class ReadOnlyAdminMixin:
    """Records that only services write (tickets, the audit trail, clocks, jobs): the admin shows
    them as evidence and never adds, edits or deletes one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail for auditors: searchable, never editable (the table is append-only)."""

    list_display = ["created_at", "object_repr", "action", "field", "actor", "channel"]
    list_filter = ["action", "channel", "content_type"]
    search_fields = ["object_repr", "field"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Outbox deliveries: what is pending, what was delivered, and the dead letters to replay."""

    list_display = ["id", "event_name", "event_record", "handler", "state", "attempts", "next_attempt_at",
                    "short_error", "delivered_at"]
    list_filter = ["state", "handler"]
    search_fields = ["event__name", "event__object_repr", "handler", "last_error"]
    list_select_related = ["event"]
    readonly_fields = ["event", "handler", "state", "attempts", "next_attempt_at", "last_error", "delivered_at"]
    actions = ["replay"]

    @admin.display(description=_("event"), ordering="event__name")
    def event_name(self, obj):
        return obj.event.name

    @admin.display(description=_("record"))
    def event_record(self, obj):
        return obj.event.object_repr

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Replay: deliver again from the first attempt"), permissions=["replay"])
    def replay(self, request, queryset):
        count = outbox.replay(queryset, actor=request.user, channel=Channel.WEB)
        self.message_user(request, ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.",
                                            count) % {"count": count})

    def has_replay_permission(self, request):
        return request.user.has_perm("core.change_delivery")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = readonly_fields = ["handler", "state", "attempts", "next_attempt_at", "last_error", "delivered_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """Published domain events, newest first, with their deliveries."""

    list_display = ["id", "name", "object_repr", "actor", "channel", "occurred_at", "created_at"]
    list_filter = ["name"]
    search_fields = ["name", "object_repr"]
    list_select_related = ["actor"]
    readonly_fields = ["name", "content_type", "object_id", "object_repr", "actor", "channel", "data",
                       "occurred_at", "created_at"]
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-id")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceWritesAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes go through the app's services, so an administrator's
    edit is audited like any other. Subclasses implement `create`, `update` and `delete`; each
    takes the actor and the channel. The admin's own form validation still runs first.
    """

    channel = Channel.WEB

    def create(self, request, form, obj):
        raise NotImplementedError

    def update(self, request, form, obj):
        raise NotImplementedError

    def delete(self, request, obj):
        raise NotImplementedError

    def writer_kwargs(self, request):
        return {"actor": request.user, "channel": self.channel}

    def save_model(self, request, obj, form, change):
        saved = self.update(request, form, obj) if change else self.create(request, form, obj)
        self.adopt(obj, saved)

    @staticmethod
    def adopt(obj, saved):
        """Copy what the service saved onto the admin's `obj`, which it goes on with (inlines,
        the log entry, the redirect)."""
        if saved is not None and saved is not obj:
            for field in obj._meta.concrete_fields:
                setattr(obj, field.attname, getattr(saved, field.attname))

    def save_related(self, request, form, formsets, change):
        # Many-to-many values are the service's to set (and audit); inlines are saved as usual
        # unless a subclass hands them to its service too.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request, obj)


def handled_by_service(formset):
    """Mark an inline formset whose rows a service saved, so the admin's change message still works."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def form_values(form, names):
    """The cleaned values of the form's fields among `names` (what a service accepts)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def changed_values(form, names):
    return {name: form.cleaned_data[name] for name in names if name in form.changed_data}
