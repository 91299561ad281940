from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Organisation, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Service desk"), {"fields": ("display_name", "organisation", "phone", "language", "muted_notifications")}),
    )
    list_display = ["username", "display_name", "email", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active"]


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

    def has_add_permission(self, request):
        # A key exists only when issued (API tokens page or create_api_token); an admin form
        # would store a token nobody knows.
        return False
