import copy

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import ApiToken, Organisation, Team, User
from core.choices import Channel


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Service desk"), {"fields": ("display_name", "organisation", "phone", "language", "muted_notifications")}),
    )
    list_display = ["username", "display_name", "email", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active"]

    def save_model(self, request, obj, form, change):
        """Saved with its groups and permissions in save_related: one audited service call."""

    def user_change_password(self, request, id, form_url=""):
        # Django's view saves the form itself; a per-request copy hands that save to the service.
        base = self.change_password_form

        class AuditedPasswordForm(base):
            def save(self, commit=True):
                return services.change_password(self.user, actor=request.user, channel=Channel.WEB,
                                                apply=lambda: base.save(self, commit=False))

        audited = copy.copy(self)
        audited.change_password_form = AuditedPasswordForm
        return BaseUserAdmin.user_change_password(audited, request, id, form_url)

    def save_related(self, request, form, formsets, change):
        fields = list(form.changed_data) + ([] if change else ["password"])
        m2m = {name: form.cleaned_data[name] for name in ("groups", "user_permissions")
               if name in form.changed_data}
        services.save_user(form.instance, actor=request.user, channel=Channel.WEB, fields=fields, m2m=m2m)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "manager"]
    filter_horizontal = ["members"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "time_zone"]
    search_fields = ["name", "code"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at", "revoked_at"]

    actions = ["revoke"]

    def has_add_permission(self, request):
        # A key exists only when issued (API tokens page or create_api_token); an admin form
        # would store a token nobody knows.
        return False

    # Tokens are revoked, never edited or deleted, so the trail says who could use which key when.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.revoke_token(token, actor=request.user, channel=Channel.WEB)
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
                          % {"count": len(tokens)}, messages.SUCCESS)
