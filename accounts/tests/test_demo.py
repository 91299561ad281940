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
    assert first["teams"] == 6 and first["organisations"] == 5


@pytest.mark.django_db
def test_demo_logins_have_their_roles():
    call_command("seed_demo", "--only", "accounts", stdout=io.StringIO())
    roles = {user.username: user.roles for user in User.objects.filter(
        username__in=["enduser", "agent", "manager", "admin"])}
    assert roles == {"enduser": ["end_user"], "agent": ["agent"], "manager": ["manager"], "admin": ["admin"]}
    assert User.objects.get(username="agent").check_password("demo-pass-2026")
