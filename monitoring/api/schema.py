"""OpenAPI descriptions of the ways monitoring tools send their token (monitoring.api.authentication)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "monitoring.api.authentication.BearerTokenAuthentication"
    name = "bearerTokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token as `Authorization: Bearer <key>` (Alertmanager's "
                               "`http_config.authorization.credentials`)."}


class QueryTokenScheme(OpenApiAuthenticationExtension):
    target_class = "monitoring.api.authentication.QueryTokenAuthentication"
    name = "queryTokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "token",
                "description": "An API token in the URL (`?token=<key>`), for senders that cannot set a header."}
