from django.shortcuts import get_object_or_404

from core.choices import Channel
from core.web import parse_id


def number_or_id(key):
    """The filter a ticket id or number in a URL stands for."""
    pk = parse_id(key)
    return {"pk": pk} if pk else {"number__iexact": key}


class NumberOrIdLookupMixin:
    """A ticket detail answers to its id and to its human number (INC0001001)."""

    lookup_value_regex = "[^/]+"

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        key = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj = get_object_or_404(queryset, **number_or_id(key))
        self.check_object_permissions(self.request, obj)
        return obj


class AnyKeyLookupMixin:
    """A detail route that takes any path segment as its key, so `/alerts/0.5/` answers the API's
    JSON 404 (the lookup fails) instead of falling through to the site's HTML "not found" page."""

    lookup_value_regex = "[^/]+"


# What services need to know about the caller. (A comment, not a docstring: drf-spectacular
# would show a mixin's docstring as the description of every endpoint without its own.)
class ApiActorMixin:

    channel = Channel.API

    def actor_kwargs(self):
        return {"actor": self.request.user, "channel": self.channel}
