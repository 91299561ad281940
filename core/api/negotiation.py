from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers whose answer is the JSON renderer's own media type when JSON is the first
# renderer: what DRF's negotiation answers for them (a wildcard takes the renderer's type; an
# exact match is returned as sent, which is the same string).
_JSON_ACCEPTS = frozenset({"*/*", "application/json"})


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with the Accept headers nearly every client sends (none, `*/*`,
    `application/json`) answered without parsing them into media types and ordering them by
    precedence, which DRF does per request (issue 12, sixth round). Any other header, and a
    `?format=` or format suffix, goes through DRF's own code."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if renderers and renderers[0].media_type == "application/json" and not format_suffix \
                and request.headers.get("accept", "*/*") in _JSON_ACCEPTS \
                and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
