import pytest

from accounts.roles import Role


@pytest.fixture
def requester(make_user, team):
    user = make_user(Role.AGENT, username="requester")
    team.members.add(user)
    return user


@pytest.fixture
def cab(make_user):
    """Three managers on a change advisory board."""
    return [make_user(Role.MANAGER, username=f"cab{i}") for i in range(1, 4)]
