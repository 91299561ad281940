"""The one permission policy of API v1: every viewset picks one of these instead of its own copy.

What a caller may *see* is the queryset's business (`visible_to`); these say who may call at all
and who may write. Each refuses anonymous callers first so they get 401, not 403.
"""

from rest_framework import exceptions, permissions

from accounts import roles
from accounts.permissions import can_configure_service_levels


def _signed_in(request):
    return bool(request.user and request.user.is_authenticated)


class DeskOnly(permissions.BasePermission):
    """Desk staff only, for reading and writing (change templates)."""

    def has_permission(self, request, view):
        return _signed_in(request) and roles.is_agent(request.user)


class DeskOnlyUnseen(permissions.BasePermission):
    """Desk staff only, and to anyone else signed in the resource does not exist (404): for what
    would tell an end user about the staff (the team directory)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if not roles.is_agent(request.user):
            raise exceptions.NotFound()  # the same answer as for a missing record
        return True


class DeskWritesOnly(permissions.BasePermission):
    """Everyone signed in reads what `visible_to` lets them see; only desk staff write
    (problems, CIs and relationships)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        return request.method in permissions.SAFE_METHODS or roles.is_agent(request.user)


class DeskCreates(permissions.BasePermission):
    """Everyone signed in reads what `visible_to` lets them see; only desk staff create (403 before
    the body is validated). A write on one record is refused by the queryset, which hides it (404),
    and by the type's services (changes, releases)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method == "POST" and not getattr(view, "detail", False):
            return roles.is_agent(request.user)
        return True


class DeskReadAdminWrite(permissions.BasePermission):
    """Desk staff read, administrators write (SLA definitions and calendars, freeze windows)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method in permissions.SAFE_METHODS:
            return roles.is_agent(request.user)
        return roles.is_admin(request.user)


class DeskReadManagerWrite(permissions.BasePermission):
    """Desk staff read; managers and administrators write (SLA calendars and agreements, which
    managers also keep in the desk: accounts.permissions.can_configure_service_levels)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method in permissions.SAFE_METHODS:
            return roles.is_agent(request.user)
        return can_configure_service_levels(request.user)


class RequesterOrDesk(permissions.BasePermission):
    """Signed-in callers; on one record, desk staff or the record's requester
    (the model's REQUESTER_FIELD). The queryset already hides other people's records."""

    def has_permission(self, request, view):
        return _signed_in(request)

    def has_object_permission(self, request, view, obj):
        if roles.is_agent(request.user):
            return True
        field = getattr(obj, "REQUESTER_FIELD", None)
        return field is not None and getattr(obj, f"{field}_id", None) == request.user.pk


class ManagersOnlyUnseen(permissions.BasePermission):
    """Managers and administrators only; to anyone else signed in the resource does not exist
    (404): the monthly service reports."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if not roles.is_manager(request.user):
            raise exceptions.NotFound()
        return True
