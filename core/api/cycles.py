"""An API view's objects, freed by reference counting once its answer is sent.

A DRF view and what it makes hold each other in reference cycles: the view's handlers are
bound to it as attributes (ViewSetMixin.as_view), the view holds its request and its response,
whose contexts hold the view (and the request and the response themselves); a serializer's
bound fields point back to it (`parent`), as does their BindingDict, and a list serializer's
child points to the list. Objects in a cycle outlive their last use until the garbage
collector's next young collection finds them, and each collection traverses every one of them:
an API create left ~456 such objects (the serializer's 37 fields with their dicts and lists,
the nested serializers, the compiled row function's closures, the view, its request and
response), ~0.2 ms of the collector per create in a worker (issue 12, tenth round).

Django closes a response once it is sent (the WSGI server calls close(), which runs the
response's closers before request_finished): nothing reads the view or its serializers after
that, so `ReleasedAfterResponseMixin` cuts their links then (`release`). Reference counting
frees them as soon as the last outside reference goes (a test client's response keeps `data`, a
plain dict with its values, and `renderer_context`; a serializer read again builds its fields
again).
"""

from rest_framework.serializers import BaseSerializer


def release_serializer(serializer):
    """Cut the cycles between `serializer`, its fields and its nested serializers."""
    state = serializer.__dict__
    fields = state.pop("fields", None)  # DRF's cached_property: built again if read again
    state.pop("_row", None)  # core.api.serializers' compiled row function (closures over it)
    nested = [field for field in (fields or {}).values() if isinstance(field, BaseSerializer)]
    # The nested serializers a list's rows were written with (VisibleRelationsSerializer.row_fields
    # binds them outside `fields`); its `_row` held them.
    nested.extend(field for field in state.pop("_row_bound", ()) if isinstance(field, BaseSerializer))
    child = state.get("child")  # a ListSerializer's, bound to it when the list was made
    if isinstance(child, BaseSerializer):
        child.parent = None  # unbound, as DRF's Field.__init__ leaves a field
        nested.append(child)
    for field in nested:
        release_serializer(field)


def release(view, response):
    """Cut the links between `view`, its request and `response`, and release the serializers
    the view made (`view._serializers_made`)."""
    made = view.__dict__.get("_serializers_made", ())
    request = view.__dict__.get("request")
    context = getattr(request, "parser_context", None)
    if isinstance(context, dict):
        context.pop("view", None)
        context.pop("request", None)  # DRF's Request puts itself there
    context = getattr(response, "renderer_context", None)
    if isinstance(context, dict):
        context.pop("response", None)  # Response.rendered_content puts the response there
    view.__dict__.clear()  # its bound handlers, request, response, kwargs...
    for serializer in made:
        release_serializer(serializer)


class ReleasedAfterResponseMixin:
    # Records the serializers get_serializer makes and releases them with the view once the
    # response is closed (see the module's docstring). A comment, not a docstring:
    # drf-spectacular would show a mixin's docstring as every endpoint's description.

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        self.__dict__.setdefault("_serializers_made", []).append(serializer)
        return serializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Django runs a response's closers when it is closed, then forgets them.
        response._resource_closers.append(lambda: release(self, response))
        return response
