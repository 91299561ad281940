"""Use cases on users and teams, shared by the operator commands, the admin and the demo data."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Organisation, Team, User
from accounts.roles import Role


@transaction.atomic
def upsert_user(username, *, role, email=None, password=None, teams=(), organisation=None, **extra):
    """Create or update a user with exactly one role; teams and organisation are created if missing."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    user, _created = User.objects.get_or_create(username=username, defaults=extra)
    for field, value in extra.items():
        setattr(user, field, value)
    if email is not None:
        user.email = email
    if password:
        user.set_password(password)
    elif _created:
        user.set_unusable_password()
    if organisation:
        user.organisation, _ = Organisation.objects.get_or_create(
            name=organisation, defaults={"code": _slug(organisation)}
        )
    user.is_staff = role == Role.ADMIN
    user.save()
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    for team_name in teams:
        team, _ = Team.objects.get_or_create(name=team_name)
        team.members.add(user)
    user._role_names = None
    return user


def _slug(name):
    """An ASCII code for an organisation name; Korean names get a stable digest-based one."""
    import hashlib

    from django.utils.text import slugify

    return slugify(name, allow_unicode=False) or f"org-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
