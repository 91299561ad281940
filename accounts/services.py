"""Use cases on users, teams and API tokens, shared by the pages, the API, the operator
commands, the admin and the demo data. Profile edits and token issue/revoke are audited: who
could act as whom, and since when, is what a security review asks first."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Organisation, Team, User
from core import audit, events
from core.choices import AuditAction
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


# What a user may change on their own profile (the page and PATCH users/me/).
PROFILE_FIELDS = ("display_name", "email", "phone", "language", "muted_notifications")
# What the admin's user form may change besides these; the password is audited as changed, never its hash.
ADMIN_USER_FIELDS = ("username", "first_name", "last_name", "organisation", "is_active", "is_staff",
                     "is_superuser", "groups", "user_permissions")
SECRET_FIELDS = frozenset({"password"})


def _user_value(user, name):
    return None if name in SECRET_FIELDS else audit.snapshot(user, [name])[name]


@transaction.atomic
def update_profile(user, *, actor, channel, changes: dict) -> User:
    """Change profile fields of `user`; one audit row per changed field."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    fields = {name: value for name, value in changes.items() if name in PROFILE_FIELDS}
    before = audit.snapshot(locked, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    diff = audit.changes_between(before, audit.snapshot(locked, fields))
    if diff:
        locked.save(update_fields=list(diff))
        audit.record_changes(locked, actor=actor, channel=channel, changes=diff)
        events.publish("accounts.profile_changed", locked, actor=actor, channel=channel,
                       data={"fields": sorted(diff)})
    return locked


@transaction.atomic
def save_user(user, *, actor, channel, fields, m2m=None) -> User:
    """Save a user edited in the admin (`user` holds the new values of `fields`), audited.

    `m2m` maps group/permission field names to the new related objects. A new password shows as
    changed, without either hash.
    """
    created = user.pk is None
    names = [n for n in fields if n in PROFILE_FIELDS or n in ADMIN_USER_FIELDS or n in SECRET_FIELDS]
    plain = [n for n in names if not User._meta.get_field(n).many_to_many]
    stored = None if created else User.objects.select_for_update().get(pk=user.pk)
    before = {n: _user_value(stored, n) for n in names} if stored else {}
    changed_secret = [n for n in SECRET_FIELDS & set(plain) if stored is None or getattr(stored, n) != getattr(user, n)]
    user.save()
    for name, values in (m2m or {}).items():
        getattr(user, name).set(values)
    after = {n: _user_value(user, n) for n in names}
    if created:
        audit.record(user, actor=actor, channel=channel, action=AuditAction.CREATED,
                     new={n: v for n, v in after.items() if v not in (None, "", [])})
        events.publish("accounts.user_created", user, actor=actor, channel=channel)
        return user
    diff = audit.changes_between(before, after)
    for name in changed_secret:
        diff[name] = (None, None)
    if diff:
        audit.record_changes(user, actor=actor, channel=channel, changes=diff)
        events.publish("accounts.user_changed", user, actor=actor, channel=channel, data={"fields": sorted(diff)})
    return user


@transaction.atomic
def change_password(user, *, actor, channel, apply) -> User:
    """Set a new password: `apply()` puts it on `user` in memory (a password form's
    save(commit=False)); the row saves here, with an audit row that names no hash."""
    apply()
    user.save(update_fields=["password"])
    audit.record_changes(user, actor=actor, channel=channel, changes={"password": (None, None)})
    events.publish("accounts.password_changed", user, actor=actor, channel=channel)
    return user


@transaction.atomic
def issue_token(user, *, actor, channel, name="") -> tuple[ApiToken, str]:
    """A new API token for `user`; the plain key is returned once and never stored or audited."""
    token, key = ApiToken.issue(user, name=name)
    audit.record_creation(token, actor=actor, channel=channel, fields=("user", "name", "prefix"))
    events.publish("accounts.token_issued", token, actor=actor, channel=channel,
                   data={"user": user.pk, "prefix": token.prefix})
    return token, key


@transaction.atomic
def revoke_token(token, *, actor, channel, now=None) -> ApiToken:
    """Revoke a token (once: revoking a revoked token changes nothing)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = now or timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record_changes(locked, actor=actor, channel=channel, changes={"revoked_at": (None, locked.revoked_at)},
                         at=locked.revoked_at)
    events.publish("accounts.token_revoked", locked, actor=actor, channel=channel,
                   data={"user": locked.user_id, "prefix": locked.prefix})
    return locked
