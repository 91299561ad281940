"""Role groups and their Django permissions, and the record-level questions asked everywhere."""

from django.contrib.auth.models import Group, Permission

from accounts import roles
from accounts.roles import Role

# The apps whose records the desk works on: agents may view, add and change them.
DESK_APPS = ["incidents", "problems", "changes", "releases", "cmdb", "sla", "core"]


def _last_migrated_app():
    from django.apps import apps

    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def sync_role_groups(sender=None, **kwargs):
    """Create the role groups and give them their permissions (after every migrate).

    post_migrate fires once per app; every app's permissions exist only after the last one,
    so the work is done then (or whenever called directly).
    """
    if sender is not None and sender.label != _last_migrated_app().label:
        return
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    desk = Permission.objects.filter(content_type__app_label__in=DESK_APPS).exclude(codename__startswith="delete_")
    groups[Role.AGENT].permissions.set(desk)
    groups[Role.MANAGER].permissions.set(desk)
    # Seeing security incidents outside the security group is designated person by person
    # (incidents.security), never by role: not even administrators hold it through their group.
    designated = Permission.objects.filter(content_type__app_label="incidents", codename="view_security_incidents")
    groups[Role.ADMIN].permissions.set(Permission.objects.exclude(pk__in=designated))
    groups[Role.AUDITOR].permissions.set(Permission.objects.filter(codename__startswith="view_").exclude(
        pk__in=designated))


def can_view(user, record) -> bool:
    return type(record).objects.visible_to(user).filter(pk=record.pk).exists()


def can_change(user, record) -> bool:
    """Desk staff change tickets; requesters may only comment on (and reopen) their own; auditors
    change nothing."""
    return roles.is_agent(user) and not roles.is_auditor(user) and can_view(user, record)


def can_configure_service_levels(user) -> bool:
    """SLA calendars, definitions and escalation rules: every desk member reads them; managers
    and administrators (who answer for the agreements, as they decide change approvals) write."""
    return roles.is_manager(user)


def can_manage_catalog(user) -> bool:
    """Catalog categories, items, their forms, approvals and fulfilment plans: administrators and
    managers (the catalog managers) edit them; agents read them."""
    return roles.is_manager(user)
