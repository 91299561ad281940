"""The base every ticket viewset extends: one place for what API v1 promises about every ticket.

- detail by id or by number (INC0001001);
- writes only through the type's services: a subclass declares `perform_create_ticket(data)` and
  `perform_update_ticket(instance, data, version)` and returns the ticket it wrote;
- an update without `version` answers 400 "Send the version you read."; a stale one 409
  (StaleVersion from the service);
- the answer to a write is the fresh representation, read back through `get_queryset()`; a type
  whose services return the created row complete (`created_from_memory`) answers a create from
  that row, loading only the relations it does not hold yet;
- optional id paging (`page_by_ids`) for big lists: the page's ids come from the (index-only)
  filtered queryset, then the page's rows with their relations; `search_paginator_class` counts
  search results up to a cap, `list_paginator_class` may count other lists up to one
  (core.paging.LargeListPaginator);
- the view and the serializers it made are released once the response is sent
  (core.api.cycles): reference counting frees them, not the garbage collector.

`TicketCommentViewSet` is the comments sub-resource (`{type}/{id or number}/comments/`).
"""

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import roles
from core import services
from core.api.cycles import ReleasedAfterResponseMixin
from core.api.mixins import ApiActorMixin, NumberOrIdLookupMixin, number_or_id


class TicketViewSet(ReleasedAfterResponseMixin, NumberOrIdLookupMixin, ApiActorMixin, mixins.CreateModelMixin,
                    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin,
                    viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    page_by_ids = False
    search_paginator_class = None
    # True when perform_create_ticket returns the row as written, with the instances it was given
    # (caller, group...) attached: the 201 then needs no re-read of the row, only the prefetches
    # of get_queryset() that are not in memory yet (issue 12: the re-read was a third of a create).
    created_from_memory = False

    # With page_by_ids: the Django paginator of lists that are not a search (core.paging).
    list_paginator_class = None

    # --- what a subclass declares -----------------------------------------------------------

    def perform_create_ticket(self, data):
        """Create the ticket through the type's services from validated data; return it."""
        raise NotImplementedError

    def perform_update_ticket(self, instance, data, version):
        """Update the ticket through the type's services, which check `version`."""
        raise NotImplementedError

    def created_prefetches(self):
        """The prefetch lookups a created row still needs for its answer (`created_from_memory`):
        those of get_queryset(), unless the type names them without building its queryset."""
        return self.get_queryset()._prefetch_related_lookups

    # --- the shared behaviour ---------------------------------------------------------------

    def fresh(self, pk):
        """The representation of the row as it is now, with everything the list shows."""
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def sent_fields(self, request, serializer=None):
        """The writable fields the request names (an unknown key is ignored, as DRF does)."""
        if not hasattr(request.data, "keys"):
            return set()  # not an object: validation answers 400
        fields = (serializer or self.get_serializer()).fields
        return {name for name in request.data.keys() if name in fields and not fields[name].read_only}

    def check_create_fields(self, request, serializer=None):
        """Refuse the fields the caller may not set (403) before validating any value, so that an
        end user learns nothing about the ids sent in a field that is not theirs."""
        model = self.get_serializer_class().Meta.model
        services.check_creatable(model, self.sent_fields(request, serializer) - {"version", "state"}, request.user)

    def create(self, request, *args, **kwargs):
        # One serializer for the check, the validation and the answer: DRF builds its fields
        # (a deep copy of every declared and nested field) once instead of three times.
        serializer = self.get_serializer(data=request.data)
        self.check_create_fields(request, serializer)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        ticket = self.perform_create_ticket(data)
        if not self.created_from_memory:
            return Response(self.fresh(ticket.pk), status=status.HTTP_201_CREATED)
        prefetch_related_objects([ticket], *self.created_prefetches())
        serializer.instance = ticket
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        # Desk-only fields are refused before their values are looked up (as on creation).
        services.check_desk_only(type(instance), self.sent_fields(request), request.user)
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            # Without the version read, a write could silently overwrite someone else's edit.
            raise ValidationError({"version": [_("Send the version you read.")]})
        self.perform_update_ticket(instance, data, version)
        return Response(self.fresh(instance.pk))

    def paginate_queryset(self, queryset):
        if not self.page_by_ids:
            return super().paginate_queryset(queryset)
        return self.paginate_ids(self.ids_of(queryset))

    @staticmethod
    def ids_of(queryset):
        """The ordered ids of a (filtered) list queryset, which page_by_ids pages."""
        return queryset.prefetch_related(None).values_list("pk", flat=True)

    def paginate_ids(self, ids):
        """The page's rows (page_by_ids) of ordered ids: ids_of(the list's queryset), or what
        stands for it (core.paging.WrittenIds)."""
        if self.search_paginator_class and (self.request.query_params.get("search") or "").strip():
            self.paginator.django_paginator_class = self.search_paginator_class
        elif self.list_paginator_class:
            self.paginator.django_paginator_class = self.list_paginator_class
        ids = super().paginate_queryset(ids)
        if ids is None:
            return None
        ids = list(ids)
        by_id = self.page_rows(ids) if ids else {}
        return [by_id[pk] for pk in ids if pk in by_id]

    def page_rows(self, ids):
        """{id: row} of the page's ids (page_by_ids), with what the representation reads."""
        return self.page_rows_queryset().in_bulk(ids)

    def page_rows_queryset(self):
        """Where page_by_ids loads the page's rows by id: get_queryset(), unless the type loads
        them without the caller's visibility, which the page's ids were already taken through
        (building and compiling it twice per list was ~6 % of an API list, issue 12)."""
        return self.get_queryset()


class TicketCommentViewSet(ReleasedAfterResponseMixin, ApiActorMixin, mixins.ListModelMixin,
                           mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Comments and work notes of one ticket; end users never see or write work notes.

    A subclass sets `ticket_model`, `ticket_url_kwarg` and `comment(ticket, **kwargs)` (the type's
    comment service).
    """

    ticket_model = None
    ticket_url_kwarg = None
    filterset_class = None
    filter_backends = []

    def comment(self, ticket, **kwargs):
        raise NotImplementedError

    def get_ticket(self):
        if not hasattr(self, "_ticket"):
            key = self.kwargs[self.ticket_url_kwarg]
            visible = self.ticket_model.objects.visible_to(self.request.user)
            self._ticket = get_object_or_404(visible, **number_or_id(key))
        return self._ticket

    def get_queryset(self):
        comments = self.get_ticket().comments.select_related("author").order_by("created_at", "id")
        if not roles.is_agent(self.request.user):
            comments = comments.filter(internal=False)
        return comments

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = self.comment(
            self.get_ticket(), **self.actor_kwargs(), body=serializer.validated_data.get("body", ""),
            internal=serializer.validated_data.get("internal", False), files=request.FILES.getlist("files"),
        )
        if note is None:
            return Response({"detail": "attached"}, status=status.HTTP_201_CREATED)
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)
