from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts import roles
from accounts.middleware import SAFE_METHODS, expired_message, read_only_message
from accounts.models import ApiToken


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` against hashed, revocable personal tokens."""

    keyword = "Token"

    def authenticate(self, request):
        found = super().authenticate(request)
        # The middleware refuses a session's writes; a token is known only here.
        if found is not None and request.method not in SAFE_METHODS and roles.is_auditor(found[0]):
            raise exceptions.PermissionDenied(read_only_message())
        return found

    def authenticate_credentials(self, key):
        # The user's role names come with the token (every API view asks for them): one query.
        role_names = Group.objects.filter(user=OuterRef("user_id"), name__in=roles.Role.values).values("name")
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .annotate(user_role_names=ArraySubquery(role_names))
            .filter(digest=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.user.has_expired():
            raise exceptions.AuthenticationFailed(expired_message(token.user))
        roles.remember_role_names(token.user, token.user_role_names)
        now = timezone.now()
        # Writing on every request would serialise API traffic on one row; a minute is enough.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
