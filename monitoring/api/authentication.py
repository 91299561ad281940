"""How monitoring tools authenticate: the ordinary API token, sent the way they can send it.

- `Authorization: Token <key>` (every integrator) or `Authorization: Bearer <key>` (what
  Alertmanager's `http_config.authorization.credentials` sends with its default type);
- `?token=<key>` in the URL, for senders that cannot set headers. Prefer a header: URLs end up
  in proxy logs. The token belongs to an integration account with the agent role.
A wrong or revoked token answers 401.
"""

from rest_framework import authentication

from accounts.authentication import ApiTokenAuthentication


class BearerTokenAuthentication(ApiTokenAuthentication):
    keyword = "Bearer"


class QueryTokenAuthentication(ApiTokenAuthentication):
    """`?token=<key>`; only tried when no Authorization header was sent."""

    def authenticate(self, request):
        if authentication.get_authorization_header(request):
            return None
        key = request.query_params.get("token")
        if not key:
            return None
        return self.authenticate_credentials(key)
