import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles
from accounts.models import User
from accounts.permissions import sync_role_groups
from accounts.roles import Role


@pytest.mark.django_db
def test_migrate_creates_one_group_per_role():
    assert sorted(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == sorted(
        ["admin", "agent", "auditor", "end_user", "manager"])


@pytest.mark.django_db
def test_desk_roles_may_view_and_change_but_not_delete_desk_records():
    agent = Group.objects.get(name=Role.AGENT)
    codenames = set(agent.permissions.values_list("content_type__app_label", "codename"))
    assert ("core", "view_attachment") in codenames
    assert ("core", "add_comment") in codenames
    assert not any(codename.startswith("delete_") for _app, codename in codenames)
    assert not any(app == "accounts" for app, _codename in codenames)


@pytest.mark.django_db
def test_admin_role_has_every_permission_but_the_security_designation_and_end_user_none():
    admin = set(Group.objects.get(name=Role.ADMIN).permissions.values_list("codename", flat=True))
    assert set(Permission.objects.values_list("codename", flat=True)) - admin == {"view_security_incidents"}
    assert Group.objects.get(name=Role.END_USER).permissions.count() == 0


@pytest.mark.django_db
def test_the_auditor_role_only_views():
    codenames = set(Group.objects.get(name=Role.AUDITOR).permissions.values_list("codename", flat=True))
    assert codenames and all(codename.startswith("view_") for codename in codenames)
    assert "view_security_incidents" not in codenames


@pytest.mark.django_db
def test_sync_is_idempotent():
    sync_role_groups()
    sync_role_groups()
    assert Group.objects.filter(name__in=Role.values).count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("role, agent, manager, admin", [
    (Role.END_USER, False, False, False),
    (Role.AGENT, True, False, False),
    (Role.MANAGER, True, True, False),
    (Role.ADMIN, True, True, True),
    (Role.AUDITOR, True, False, False),  # opens the desk, reading only
])
def test_role_predicates(make_user, role, agent, manager, admin):
    user = make_user(role)
    assert (roles.is_agent(user), roles.is_manager(user), roles.is_admin(user)) == (agent, manager, admin)
    assert roles.is_end_user(user) is (not agent)
    assert roles.primary_role(user) == role
    assert User.objects.get(pk=user.pk).roles == [role]


@pytest.mark.django_db
def test_admin_role_can_use_the_django_admin(client, admin_user, agent):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    client.force_login(agent)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_admin_can_read_but_not_edit_the_audit_trail_or_forge_tokens(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


@pytest.mark.django_db
def test_a_role_or_team_change_counts_on_the_next_request(client, agent, end_user):
    """Each person's roles and whether they are in a team are kept per process (issue 12): a change of
    either is seen by the very next request (core.memo's reference generation moves)."""
    from accounts.models import Team

    client.force_login(agent)
    assert client.get("/incidents/").status_code == 200
    agent.groups.remove(Group.objects.get(name=Role.AGENT))
    assert client.get("/incidents/").status_code == 403
    agent.groups.add(Group.objects.get(name=Role.AGENT))
    agent.teams.clear()
    page = client.get("/incidents/")
    assert page.status_code == 200 and page.context["queue"] == "open"
    Team.objects.create(name="Night shift").members.add(agent)
    assert client.get("/incidents/").context["queue"] == "my_groups"
    Group.objects.get(name=Role.MANAGER).user_set.add(agent)  # from the role's side
    assert roles.is_manager(User.objects.get(pk=agent.pk))
    client.force_login(end_user)
    assert client.get("/incidents/").status_code == 403
    end_user.groups.add(Group.objects.get(name=Role.AGENT))
    assert client.get("/incidents/").status_code == 200
