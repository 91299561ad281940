import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Organisation, Team, User


def _counts():
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Team.members.through.objects.count(),
        "role memberships": User.groups.through.objects.count(),
        "groups": Group.objects.count(),
        "managers": sorted(Team.objects.values_list("name", "manager__username")),
    }


@pytest.mark.django_db
def test_seed_demo_accounts_is_idempotent():
    # given
    call_command("seed_demo", "--only", "accounts", stdout=io.StringIO())
    first = _counts()
    # when
    call_command("seed_demo", "--only", "accounts", stdout=io.StringIO())
    # then
    assert _counts() == first
    assert first["teams"] == 7 and first["organisations"] == 5


@pytest.mark.django_db
def test_demo_logins_have_their_roles():
    call_command("seed_demo", "--only", "accounts", stdout=io.StringIO())
    roles = {user.username: user.roles for user in User.objects.filter(
        username__in=["enduser", "agent", "manager", "admin"])}
    assert roles == {"enduser": ["end_user"], "agent": ["agent"], "manager": ["manager"], "admin": ["admin"]}
    assert User.objects.get(username="agent").check_password("demo-pass-2026")


@pytest.mark.django_db
def test_the_demo_has_a_time_boxed_auditor_and_a_security_team_of_one():
    import datetime as dt

    from django.utils import timezone

    from incidents import security

    call_command("seed_demo", "--only", "accounts", stdout=io.StringIO())
    auditor = User.objects.get(username="auditor")
    today = timezone.localdate()
    assert auditor.roles == ["auditor"] and auditor.check_password("demo-pass-2026")
    assert dt.timedelta(days=365) <= auditor.valid_until - today <= dt.timedelta(days=366)
    assert not auditor.has_expired()
    team = Team.objects.get(is_security=True)
    assert [u.username for u in team.members.all()] == ["security"]
    assert security.can_read_security_fields(User.objects.get(username="security"))
    assert not security.can_read_security_fields(User.objects.get(username="agent"))
