from django.contrib import admin

from core.choices import Channel
from core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail for auditors: searchable, never editable (the table is append-only)."""

    list_display = ["created_at", "object_repr", "action", "field", "actor", "channel"]
    list_filter = ["action", "channel", "content_type"]
    search_fields = ["object_repr", "field"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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
