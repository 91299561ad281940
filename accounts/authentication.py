from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts import roles
from accounts.middleware import SAFE_METHODS, expired_message, read_only_message
from accounts.models import ApiToken
from core import prepared
from core.selects import Columns


_TOKEN_QUERY = None


def _token_query():
    """The token with its user and the user's role names, as SQL written once per process.

    Every API request runs it: built through the ORM (select_related, an ArraySubquery of the
    role names) its compilation cost ~10 % of an API create's CPU (issue 12, third round), for a
    statement that never changes. Same rows as
    `ApiToken.objects.active().select_related("user").filter(digest=...)` with the role names."""
    global _TOKEN_QUERY
    if _TOKEN_QUERY is None:
        user_model = get_user_model()
        quote = connection.ops.quote_name
        token_columns, user_columns = Columns(ApiToken, "t"), Columns(user_model, "u")
        groups = user_model._meta.get_field("groups")
        through = groups.remote_field.through._meta
        group_table = groups.related_model._meta.db_table
        sql = (
            f"SELECT {token_columns.sql}, {user_columns.sql}, ARRAY(SELECT g.{quote('name')} "
            f"FROM {quote(through.db_table)} ug JOIN {quote(group_table)} g ON g.{quote('id')} = "
            f"ug.{quote(groups.m2m_reverse_name())} WHERE ug.{quote(groups.m2m_column_name())} = t.{quote('user_id')} "
            f"AND g.{quote('name')} = ANY(%s)) "
            f"FROM {quote(ApiToken._meta.db_table)} t JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{quote(user_model._meta.pk.column)} = t.{quote('user_id')} "
            f"WHERE t.{quote('digest')} = %s AND t.{quote('revoked_at')} IS NULL LIMIT 1"
        )
        _TOKEN_QUERY = (sql, sorted(roles.ROLE_NAMES), token_columns, user_columns)
    return _TOKEN_QUERY


def active_token(digest):
    """The unrevoked token of this digest with its user (role names remembered), or None."""
    sql, role_names, token_columns, user_columns = _token_query()
    with connection.cursor() as cursor:
        # A prepared statement of the connection (core.prepared): PostgreSQL plans this join
        # once per connection, not on every API request (issue 12, seventh round).
        prepared.execute(connection, cursor, sql, [role_names, digest])
        row = cursor.fetchone()
    if row is None:
        return None
    # Built as core.selects builds the API's rows: without Model.__init__ where nothing needs it.
    token = token_columns.load(row[:len(token_columns)])
    user = user_columns.load(row[len(token_columns):-1])
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    roles.remember_role_names(user, row[-1])
    return token


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
        token = active_token(ApiToken.hash_key(key))
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.user.has_expired():
            raise exceptions.AuthenticationFailed(expired_message(token.user))
        now = timezone.now()
        # Writing on every request would serialise API traffic on one row; a minute is enough.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
