import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, Organisation, Team, User


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_user_with_role_teams_and_organisation():
    # when
    _run("create_user", "kim", "--role", "agent", "--email", "kim@example.com", "--password", "s3cret-pass",
         "--group", "Network Operations", "--group", "Service Desk", "--organisation", "Finance Department")
    # then
    user = User.objects.get(username="kim")
    assert user.roles == ["agent"]
    assert user.email == "kim@example.com"
    assert user.check_password("s3cret-pass")
    assert sorted(user.teams.values_list("name", flat=True)) == ["Network Operations", "Service Desk"]
    assert user.organisation.name == "Finance Department"
    assert user.organisation.code == "finance-department"


@pytest.mark.django_db
def test_create_user_is_idempotent():
    # given
    args = ["create_user", "kim", "--role", "agent", "--group", "Service Desk", "--organisation", "Finance"]
    _run(*args)
    # when
    _run(*args)
    # then
    assert User.objects.filter(username="kim").count() == 1
    assert Team.objects.filter(name="Service Desk").count() == 1
    assert Organisation.objects.filter(name="Finance").count() == 1
    assert User.objects.get(username="kim").teams.count() == 1


@pytest.mark.django_db
def test_create_user_changes_the_role_and_keeps_the_password():
    _run("create_user", "lee", "--role", "end_user", "--password", "first-pass-99")
    _run("create_user", "lee", "--role", "admin")
    user = User.objects.get(username="lee")
    assert user.roles == ["admin"]
    assert user.is_staff
    assert user.check_password("first-pass-99")


@pytest.mark.django_db
def test_create_user_without_password_cannot_log_in():
    _run("create_user", "svc", "--role", "agent")
    assert not User.objects.get(username="svc").has_usable_password()


def test_create_user_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("create_user", "x", "--role", "superhero")


@pytest.mark.django_db
def test_create_api_token_prints_only_the_key_on_its_own_line(agent):
    # when
    output = _run("create_api_token", "agent")
    # then
    key = output.removesuffix("\n")
    assert output == key + "\n"
    assert len(key) == 60 and "\n" not in key
    token = ApiToken.objects.get(digest=ApiToken.hash_key(key))
    assert (token.user, token.name) == (agent, "command line")


@pytest.mark.django_db
def test_create_api_token_for_unknown_user_fails():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_api_token", "ghost")


@pytest.mark.django_db
def test_korean_organisation_gets_a_stable_ascii_code():
    _run("create_user", "park", "--role", "end_user", "--organisation", "재무팀")
    organisation = Organisation.objects.get(name="재무팀")
    assert organisation.code == "org-" + __import__("hashlib").sha256("재무팀".encode()).hexdigest()[:10]
    _run("create_user", "choi", "--role", "end_user", "--organisation", "재무팀")
    assert Organisation.objects.filter(name="재무팀").count() == 1
