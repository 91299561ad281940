"""`voc/`: VOC records on the ticket contract (core TicketViewSet): detail by id or number
(VOC0001001); end users raise theirs and read theirs; a PATCH with `state` moves it (`responded`
with the `response`), `POST voc/{id}/escalate/` escalates a complaint."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Organisation, Team, User
from cmdb.models import ConfigurationItem
from core import services as core_services
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.permissions import RequesterOrDesk
from core.api.serializers import TicketSerializer
from core.api.viewsets import TicketViewSet
from voc import services
from voc.choices import VocState
from voc.filtersets import VocFilterSet
from voc.models import Voc, VocTicketLink


class VocSerializer(TicketSerializer):
    tickets = serializers.ListField(child=serializers.CharField(max_length=20), required=False,
                                    help_text=_("Numbers of the tickets it is about (INC0001001, REQ…)."))
    organisation = VisiblePrimaryKeyRelatedField(queryset=Organisation.objects.all(), allow_null=True,
                                                 required=False)
    service = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(), allow_null=True,
                                            required=False)
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), allow_null=True,
                                                required=False)
    reported_by = serializers.PrimaryKeyRelatedField(read_only=True)
    state = serializers.ChoiceField(choices=VocState.choices, required=False)
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("Send the version you read; a stale one answers 409."))

    class Meta:
        model = Voc
        fields = ["id", "number", "kind", "state", "title", "description", "organisation", "service", "tickets",
                  "response", "due_at", "version", "channel", "reported_by", "assignment_group", "assigned_to",
                  "escalation_level", "escalated_at", "responded_at", "closed_at", "created_at", "updated_at"]
        read_only_fields = ["number", "escalation_level", "escalated_at", "responded_at", "closed_at",
                            "created_at", "updated_at", "channel"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tickets"] = [link.number for link in instance.ticket_links.all()]
        return data


class VocViewSet(TicketViewSet):
    serializer_class = VocSerializer
    filterset_class = VocFilterSet
    permission_classes = [RequesterOrDesk]
    ordering_fields = ["id", "number", "created_at", "due_at", "state", "kind"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return Voc.objects.visible_to(self.request.user).defer("search_vector").prefetch_related(
            Prefetch("ticket_links", queryset=VocTicketLink.objects.only("id", "voc_id", "number")))

    def perform_create_ticket(self, data):
        data.pop("state", None)
        tickets = data.pop("tickets", [])
        source = "desk" if _is_agent(self.request.user) else "portal"
        return services.create_voc(**self.actor_kwargs(), tickets=tickets, source=source, **data)

    def perform_update_ticket(self, voc, data, version):
        target = data.pop("state", None)
        tickets = data.pop("tickets", None)
        response = data.pop("response", None)
        with transaction.atomic():
            voc = core_services.lock_for_update(voc, version)
            if data or tickets is not None:
                voc = services.update_voc(voc, **self.actor_kwargs(), changes=data, tickets=tickets)
            if target == VocState.RESPONDED and target != voc.state:
                voc = services.respond(voc, **self.actor_kwargs(), response=response or voc.response)
            else:
                if response is not None:
                    voc = services.update_voc(voc, **self.actor_kwargs(), changes={"response": response})
                if target and target != voc.state:
                    voc = services.transition_voc(voc, target, **self.actor_kwargs())
        return voc

    @extend_schema(request=None, responses=VocSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        voc = self.get_object()
        if not _is_agent(request.user):
            raise PermissionDenied(_("Only the service desk escalates a complaint."))
        services.escalate(voc, **self.actor_kwargs(), reason=str(request.data.get("reason", ""))[:500],
                          expected_version=request.data.get("version"))
        return Response(self.fresh(voc.pk))


def _is_agent(user):
    from accounts import roles

    return roles.is_agent(user)
