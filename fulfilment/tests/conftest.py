import pytest

from accounts.roles import Role
from fulfilment.tests.factories import make_group


@pytest.fixture
def boss(make_user):
    return make_user(Role.END_USER, username="boss", organisation="Finance")


@pytest.fixture
def employee(make_user, boss):
    user = make_user(Role.END_USER, username="employee", organisation="Finance")
    user.manager = boss
    user.save(update_fields=["manager"])
    return user


@pytest.fixture
def hardware_team(make_user):
    return make_group("Hardware", [make_user(Role.AGENT, username="hw1"), make_user(Role.AGENT, username="hw2")])


@pytest.fixture
def network_team(make_user):
    return make_group("Network", [make_user(Role.AGENT, username="net1")])


@pytest.fixture
def security_board(make_user):
    return make_group("Security board", [make_user(Role.AGENT, username=f"sec{i}") for i in range(1, 4)])
